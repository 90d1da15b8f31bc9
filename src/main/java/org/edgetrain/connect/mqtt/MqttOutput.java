package org.edgetrain.connect.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.edgetrain.config.MqttConfig;
import org.edgetrain.log.Log;

/**
 * The daemon's findings on the broker ({@code daemon.output = mqtt}), under {@code mqtt.prefix}:
 *
 * <pre>
 *   PREFIX/availability   "online" (retained) while running; "offline" at a clean stop and, as the last will, when the
 *                         daemon dies (SIGKILL, power cut: the broker publishes it once the connection is gone)
 *   PREFIX/status         retained JSON at every log line: step, loss, val_loss, health, samples, malformed, ...
 *   PREFIX/anomaly        JSON per anomaly episode when it ends: first and last window, max score, threshold
 *   PREFIX/anomaly/state  ON while an episode lasts, OFF after (retained; Home Assistant's binary sensor)
 *   PREFIX/score          with mqtt.scores = true: every window's score
 * </pre>
 *
 * With {@code mqtt.discovery = true}, Home Assistant discovery configs (retained) make an anomaly binary sensor and a
 * loss sensor appear without configuration there. Publishing never blocks the trainer: Paho queues the message and
 * sends it on its own thread; while the broker is away, messages are dropped and counted ({@link #dropped()}).
 */
public final class MqttOutput implements AutoCloseable {
    private final MqttConfig cfg;
    private final MqttAsyncClient client;
    private final String prefix;
    private long dropped;
    private boolean dropReported;

    private MqttOutput(MqttConfig cfg) {
        this.cfg = cfg;
        this.prefix = cfg.prefix();
        this.client = MqttLink.client(cfg, cfg.clientId() + "-out");
        MqttConnectOptions o = MqttLink.options(cfg);
        o.setWill(prefix + "/availability", "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                announce(); // after a reconnect too: the broker published the will meanwhile
                if (reconnect) Log.warn("mqtt output: reconnected to {}", cfg.url());
            }

            @Override
            public void connectionLost(Throwable cause) {
                Log.warn("mqtt output: lost the broker ({}); reconnecting, outputs are dropped meanwhile", MqttLink.why(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        if (MqttLink.connectAtStart(client, o, cfg, "output")) {
            Log.info("mqtt output: connected to {}; publishing under {}/", cfg, prefix);
        } else {
            Log.warn("mqtt output: the broker {} does not answer; retrying in the background", cfg.url());
            retryInBackground(o);
        }
    }

    /**
     * Connects to the broker of {@code cfg} (a refused password or an untrusted certificate fails here with {@link
     * org.edgetrain.BadInputException}).
     */
    public static MqttOutput open(MqttConfig cfg) {
        return new MqttOutput(cfg);
    }

    /** Paho reconnects automatically only after a first success: until then, try again every few seconds. */
    private void retryInBackground(MqttConnectOptions o) {
        Thread t = new Thread(() -> {
            while (!client.isConnected()) {
                try {
                    Thread.sleep(5_000);
                    client.connect(o).waitForCompletion((cfg.connectTimeoutSeconds() + 1) * 1000L);
                } catch (InterruptedException e) {
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CLOSED) return;
                }
            }
        }, "mqtt output connect");
        t.setDaemon(true);
        t.start();
    }

    private void announce() {
        publish(prefix + "/availability", "online", true);
        if (!cfg.discovery()) return;
        String id = cfg.clientId();
        String device = "\"device\":{\"identifiers\":[\"" + id + "\"],\"name\":\"edgetrain " + id + "\",\"manufacturer\":\"edgetrain\"}";
        String avail = "\"availability_topic\":\"" + prefix + "/availability\"";
        publish(cfg.discoveryPrefix() + "/binary_sensor/" + id + "/anomaly/config", "{\"name\":\"Anomaly\",\"unique_id\":\"" + id
                + "_anomaly\",\"state_topic\":\"" + prefix + "/anomaly/state\",\"device_class\":\"problem\"," + avail + "," + device + "}", true);
        publish(cfg.discoveryPrefix() + "/sensor/" + id + "/loss/config", "{\"name\":\"Training loss\",\"unique_id\":\"" + id
                + "_loss\",\"state_topic\":\"" + prefix + "/status\",\"value_template\":\"{{ value_json.loss }}\",\"state_class\":\"measurement\","
                + avail + "," + device + "}", true);
    }

    /** An anomaly episode began (windows overlap, so one spike spans several). */
    public void episodeStarted() {
        publish(prefix + "/anomaly/state", "ON", true);
    }

    /** An anomaly episode ended. */
    public void episodeEnded(long firstWindow, long lastWindow, double maxScore, double threshold, long step) {
        publish(prefix + "/anomaly", String.format(Locale.ROOT, "{\"first_window\":%d,\"last_window\":%d,\"max_score\":%s,\"threshold\":%s,"
                + "\"step\":%d,\"time\":\"%s\"}", firstWindow, lastWindow, num(maxScore), num(threshold), step, java.time.Instant.now()), false);
        publish(prefix + "/anomaly/state", "OFF", true);
    }

    /** One window's score (only with {@code mqtt.scores = true}). */
    public void score(long window, long step, double score, boolean anomaly) {
        if (!cfg.scores()) return;
        publish(prefix + "/score", String.format(Locale.ROOT, "{\"window\":%d,\"step\":%d,\"score\":%s,\"anomaly\":%s}", window, step, num(score),
                anomaly), false);
    }

    /** The retained status: what a dashboard shows about this daemon. */
    public void status(String json) {
        publish(prefix + "/status", json, true);
    }

    /** Messages dropped because the broker was away or Paho's queue was full. */
    public long dropped() {
        return dropped;
    }

    private void publish(String topic, String payload, boolean retained) {
        if (!client.isConnected()) {
            drop(topic, "not connected");
            return;
        }
        try {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), cfg.qos(), retained);
            dropReported = false;
        } catch (MqttException e) {
            drop(topic, MqttLink.why(e));
        }
    }

    private void drop(String topic, String why) {
        dropped++;
        if (!dropReported) Log.warn("mqtt output: message to {} dropped ({}); further drops are counted until one gets through", topic, why);
        dropReported = true;
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    /** Publishes "offline" and disconnects. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.publish(prefix + "/availability", "offline".getBytes(StandardCharsets.UTF_8), 1, true).waitForCompletion(2000);
                client.disconnect().waitForCompletion(2000);
            }
        } catch (MqttException e) {
            Log.warn("mqtt output: clean disconnect failed ({}); the broker will publish the last will", MqttLink.why(e));
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
