package org.edgetrain.connect.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.edgetrain.BadInputException;
import org.edgetrain.config.MqttConfig;

/**
 * One broker connection made from {@code [mqtt]}: Paho's asynchronous client (its own network and callback threads,
 * so neither the trainer nor the source thread ever waits on a socket), in-memory persistence (an SD card is not
 * written per message), automatic reconnection with back-off up to {@code mqtt.reconnect_max_s}, and the broker's
 * certificate checked against {@code mqtt.ca_file}.
 *
 * <p>{@link #connectAtStart} tells a wrong password or an untrusted certificate (a config error: one line, exit 2)
 * from a broker that is merely not there yet (retried).
 */
final class MqttLink {
    private MqttLink() {
    }

    /** A client with in-memory persistence. */
    static MqttAsyncClient client(MqttConfig cfg, String clientId) {
        try {
            return new MqttAsyncClient(cfg.url(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new BadInputException(cfg.source() + ": key mqtt.url: found '" + cfg.url() + "': " + e.getMessage());
        }
    }

    /** Connect options: credentials, TLS, keep-alive, session, automatic reconnection. */
    static MqttConnectOptions options(MqttConfig cfg) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cfg.cleanSession());
        o.setKeepAliveInterval(cfg.keepAliveSeconds());
        o.setConnectionTimeout(cfg.connectTimeoutSeconds());
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(cfg.reconnectMaxSeconds() * 1000);
        o.setMaxInflight(100);
        if (cfg.username() != null) o.setUserName(cfg.username());
        char[] pw = cfg.password();
        if (pw != null) o.setPassword(pw);
        if (cfg.tls() && cfg.caFile() != null) o.setSocketFactory(trusting(cfg));
        return o;
    }

    /** A TLS socket factory that trusts exactly the certificates in {@code mqtt.ca_file}. */
    private static javax.net.ssl.SSLSocketFactory trusting(MqttConfig cfg) {
        try (InputStream in = Files.newInputStream(cfg.caFile())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + n++, c);
            if (n == 0) throw new GeneralSecurityException("no certificate in it");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new BadInputException(cfg.source() + ": key mqtt.ca_file: found '" + cfg.caFile() + "' (" + e.getMessage()
                    + "); allowed: a PEM file with the CA certificate that signed the broker's");
        }
    }

    /**
     * Connects, waiting up to the connect timeout.
     *
     * @return true when connected; false when the broker did not answer (not running yet, network down): the caller
     *     retries and the daemon carries on
     * @throws BadInputException when the broker refused the credentials or its certificate is not trusted: retrying
     *     cannot help, the config must change
     */
    static boolean connectAtStart(MqttAsyncClient client, MqttConnectOptions o, MqttConfig cfg, String role) {
        try {
            client.connect(o).waitForCompletion((cfg.connectTimeoutSeconds() + 1) * 1000L);
            return true;
        } catch (MqttException e) {
            BadInputException bad = configError(e, cfg, role);
            if (bad != null) throw bad;
            return false;
        }
    }

    /** A config error for a refusal retrying cannot fix, else null. */
    static BadInputException configError(MqttException e, MqttConfig cfg, String role) {
        int code = e.getReasonCode();
        if (code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED) {
            return new BadInputException(cfg.source() + ": key mqtt.username/mqtt.password: the broker " + cfg.url() + " refused "
                    + (cfg.username() == null ? "an anonymous connection" : "user '" + cfg.username() + "'") + " (" + role
                    + "): bad user name or password, or not allowed; allowed: credentials the broker's password file accepts");
        }
        if (code == MqttException.REASON_CODE_INVALID_CLIENT_ID) {
            return new BadInputException(cfg.source() + ": key mqtt.client_id: the broker " + cfg.url() + " refused client id '"
                    + cfg.clientId() + "'");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return new BadInputException(cfg.source() + ": key mqtt.ca_file: the certificate of " + cfg.url() + " is not trusted by "
                        + (cfg.caFile() != null ? cfg.caFile() : "the JVM's CA certificates") + " (" + firstLine(t.getMessage())
                        + "); allowed: the CA certificate that signed the broker's, for the host name in mqtt.url");
            }
        }
        return null;
    }

    /** Why a connection failed, in one line without credentials. */
    static String why(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        String top = e.getMessage();
        return firstLine(top != null && top != m && !top.equals(m) ? top + ": " + m : m);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
