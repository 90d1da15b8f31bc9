package org.edgetrain.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.BadInputException;

/**
 * The {@code [mqtt]} section: the broker that {@code source.type = mqtt} subscribes to and {@code daemon.output = mqtt}
 * publishes to. Only values are read here; {@code org.edgetrain.connect.mqtt} connects. The password (given inline or,
 * better, in {@code password_file}) is kept out of {@link #toString()}, logs and errors.
 */
public final class MqttConfig {
    /** The keys of {@code [mqtt]} (registered through {@link SourceConfig#KEYS}). */
    public static final Set<String> KEYS = Set.of("url", "client_id", "username", "password", "password_file", "ca_file", "qos",
            "keep_alive_s", "clean_session", "connect_timeout_s", "reconnect_max_s", "prefix", "scores", "discovery",
            "discovery_prefix");

    private final String source;
    private final String url;
    private final String clientId;
    private final String username;
    private final char[] password;
    private final Path caFile;
    private final int qos;
    private final int keepAliveSeconds;
    private final boolean cleanSession;
    private final int connectTimeoutSeconds;
    private final int reconnectMaxSeconds;
    private final String prefix;
    private final boolean scores;
    private final boolean discovery;
    private final String discoveryPrefix;

    private MqttConfig(ConfigFile file) {
        ConfigValues v = new ConfigValues(file);
        this.source = file.source();
        if (!v.has("mqtt.url")) {
            throw new BadInputException(file.source() + ": missing key mqtt.url (the broker, e.g. url = tcp://192.168.1.10:1883 or ssl://host:8883)");
        }
        this.url = v.text("mqtt.url", "");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!url.matches("(?i)(tcp|ssl)://[^/@\\s]+:\\d{1,5}")) {
            throw v.error("mqtt.url", url, "tcp://host:port or ssl://host:port (no user name in the URL: use mqtt.username)");
        }
        boolean tls = lower.startsWith("ssl://");
        String host = url.substring(url.indexOf("://") + 3, url.lastIndexOf(':'));
        this.clientId = v.text("mqtt.client_id", "edgetrain-" + host.replaceAll("[^A-Za-z0-9]", "-"));
        if (clientId.isEmpty() || clientId.length() > 64 || !clientId.matches("[A-Za-z0-9._-]+")) {
            throw v.error("mqtt.client_id", clientId, "1 to 64 letters, digits, '.', '_' or '-'");
        }
        this.username = v.has("mqtt.username") ? v.text("mqtt.username", "") : null;
        if (v.has("mqtt.password") && v.has("mqtt.password_file")) {
            throw new BadInputException(file.source() + ":" + v.get("mqtt.password_file").line()
                    + ": key mqtt.password_file: set either mqtt.password or mqtt.password_file, not both");
        }
        if (v.has("mqtt.password_file")) {
            Path pf = Path.of(v.text("mqtt.password_file", ""));
            try {
                String text = Files.readString(pf, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                this.password = (nl < 0 ? text : text.substring(0, nl)).strip().toCharArray();
            } catch (IOException e) {
                throw new BadInputException(file.source() + ":" + v.get("mqtt.password_file").line() + ": key mqtt.password_file: cannot read "
                        + pf + " (" + e.getClass().getSimpleName() + "); allowed: a readable file whose first line is the password");
            }
        } else {
            this.password = v.has("mqtt.password") ? v.get("mqtt.password").value().strip().toCharArray() : null;
        }
        if (password != null && username == null) {
            throw new BadInputException(file.source() + ": key mqtt.password or mqtt.password_file is set but mqtt.username is not");
        }
        this.caFile = v.has("mqtt.ca_file") ? Path.of(v.text("mqtt.ca_file", "")) : null;
        if (caFile != null && !tls) throw v.error("mqtt.ca_file", caFile.toString(), "only with an ssl:// url (mqtt.url is " + url + ")");
        if (caFile != null && !Files.isReadable(caFile)) {
            throw v.error("mqtt.ca_file", caFile.toString(), "a readable PEM file holding the CA certificate that signed the broker's");
        }
        this.qos = v.oneOf("mqtt.qos", 1, 0, 1, 2);
        this.keepAliveSeconds = v.intIn("mqtt.keep_alive_s", 30, 0, 65_535);
        this.cleanSession = v.bool("mqtt.clean_session", true);
        this.connectTimeoutSeconds = v.intIn("mqtt.connect_timeout_s", 10, 1, 600);
        this.reconnectMaxSeconds = v.intIn("mqtt.reconnect_max_s", 30, 1, 3600);
        this.prefix = v.text("mqtt.prefix", "edgetrain/" + clientId);
        if (prefix.isEmpty() || prefix.contains("#") || prefix.contains("+") || prefix.endsWith("/")) {
            throw v.error("mqtt.prefix", prefix, "a topic without wildcards and without a trailing '/', e.g. edgetrain/pump1");
        }
        this.scores = v.bool("mqtt.scores", false);
        this.discovery = v.bool("mqtt.discovery", false);
        this.discoveryPrefix = v.text("mqtt.discovery_prefix", "homeassistant");
    }

    /** Reads {@code [mqtt]} from {@code file}. */
    public static MqttConfig of(ConfigFile file) {
        return new MqttConfig(file);
    }

    /** The config file's name, for messages. */
    public String source() {
        return source;
    }

    /** {@code tcp://host:port} or {@code ssl://host:port}. */
    public String url() {
        return url;
    }

    public boolean tls() {
        return url.toLowerCase(Locale.ROOT).startsWith("ssl://");
    }

    public String clientId() {
        return clientId;
    }

    /** The user name, or null for an anonymous connection. */
    public String username() {
        return username;
    }

    /** The password (a copy), or null. Never log it. */
    public char[] password() {
        return password == null ? null : password.clone();
    }

    /** The CA certificate (PEM) for an ssl:// broker, or null for the JVM's trusted CAs. */
    public Path caFile() {
        return caFile;
    }

    public int qos() {
        return qos;
    }

    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    public boolean cleanSession() {
        return cleanSession;
    }

    public int connectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    public int reconnectMaxSeconds() {
        return reconnectMaxSeconds;
    }

    /** Topic prefix of the daemon's outputs, e.g. {@code edgetrain/pump1}. */
    public String prefix() {
        return prefix;
    }

    /** Publish every window's score (not only anomaly episodes). */
    public boolean scores() {
        return scores;
    }

    /** Publish Home Assistant MQTT discovery messages. */
    public boolean discovery() {
        return discovery;
    }

    public String discoveryPrefix() {
        return discoveryPrefix;
    }

    /** The broker and user, never the password. */
    @Override
    public String toString() {
        return url + (username != null ? " as " + username : "") + " (client " + clientId + ")";
    }
}
