package org.edgetrain.connect.mqtt;

import java.io.IOException;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.edgetrain.config.MqttConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.RingBuffer;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.log.Log;

/**
 * Readings from MQTT topics ({@code source.type = mqtt}). Paho's callback thread parses each message ({@link
 * Payloads}) into a small inbox ring; {@link #read} (the source thread) takes them from there, so a slow trainer or a
 * burst of messages never holds up the broker connection, and the network never holds up the trainer.
 *
 * <p>A lost broker: Paho reconnects with back-off (1 s doubling to {@code mqtt.reconnect_max_s}); this source counts
 * the loss as a disconnect, the time without a connection as {@link Counter#GAP_MILLIS}, re-subscribes on reconnect
 * (a clean session forgets subscriptions) and logs the loss and the recovery once each. A broker that is not there at
 * start is retried by the source runner's re-probe ({@code source.reprobe_s}).
 */
public final class MqttSource implements Source {
    private final MqttConfig cfg;
    private final String[] topics;
    private final int[] qos;
    private final String[] columns;
    private final SourceStats stats;
    private final Payloads payloads;
    private final RingBuffer inbox;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String name;
    private volatile long lostAtNanos; // 0 while connected
    // callback thread: malformed payloads are logged at most once per 10 s, with the count skipped meanwhile
    private boolean reported;
    private long lastReport;
    private long suppressed;

    /**
     * Connects now (a refused password or an untrusted certificate fails here, at start); a broker that does not
     * answer is only logged and retried.
     */
    public MqttSource(MqttConfig cfg, SourceConfig source, SourceStats stats) {
        this.cfg = cfg;
        List<String> t = source.topics();
        this.topics = t.toArray(new String[0]);
        this.qos = new int[topics.length];
        java.util.Arrays.fill(qos, cfg.qos());
        this.columns = source.columns().toArray(new String[0]);
        this.stats = stats;
        this.name = "mqtt " + cfg.url() + " " + String.join(",", topics);
        this.payloads = new Payloads(source.format(), source.columns(), source.timestampField(), source.maxPayload(), stats, name);
        // 4096 readings at least: a burst of ~50,000 messages/s outlasts a source thread that is not scheduled for 80 ms
        this.inbox = new RingBuffer(Math.max(4096, source.settings(channelNames()).ringCapacity()), columns.length);
        this.client = MqttLink.client(cfg, cfg.clientId());
        this.options = MqttLink.options(cfg);
        client.setCallback(new Callback());
        if (MqttLink.connectAtStart(client, options, cfg, "source")) {
            subscribe();
            Log.info("{}: connected to {}, subscribed at QoS {}", name, cfg, cfg.qos());
        } else {
            Log.warn("{}: the broker does not answer yet; retrying every {} s", name, source.settings(channelNames()).policy().reprobeNanos() / 1e9);
        }
    }

    private void subscribe() {
        try {
            var token = client.subscribe(topics, qos);
            token.waitForCompletion(cfg.connectTimeoutSeconds() * 1000L);
            int[] granted = token.getGrantedQos();
            for (int i = 0; i < granted.length && i < topics.length; i++) {
                if (granted[i] == 0x80) Log.warn("{}: the broker refused the subscription to {} (not allowed by its ACL?)", name, topics[i]);
            }
        } catch (MqttException e) {
            Log.warn("{}: subscribing failed ({}); the connection will be retried", name, MqttLink.why(e));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int channels() {
        return columns.length;
    }

    @Override
    public String[] channelNames() {
        return columns.clone();
    }

    /** Connects if the broker was not there at start (Paho reconnects by itself once it has connected). */
    @Override
    public void open() throws IOException {
        if (client.isConnected() || lostAtNanos != 0) return;
        try {
            client.connect(options).waitForCompletion((cfg.connectTimeoutSeconds() + 1) * 1000L);
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CONNECTED) return;
            throw new IOException("broker " + cfg.url() + ": " + MqttLink.why(e));
        }
        subscribe();
        Log.info("{}: connected to {}", name, cfg);
    }

    @Override
    public long read(float[] values, int offset) {
        return inbox.poll(values, offset);
    }

    /** Messages arrive on their own. */
    @Override
    public boolean live() {
        return true;
    }

    /** True while connected to the broker. */
    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) client.disconnect().waitForCompletion(2000);
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing to release beyond the socket
        }
    }

    private final class Callback implements MqttCallbackExtended {
        private final Payloads.Sink sink = (ts, row) -> {
            if (!inbox.offer(ts, row, 0)) { // a burst the source thread could not drain in time: counted like a full ring
                stats.increment(Counter.SAMPLES);
                stats.increment(Counter.OVERRUNS);
            }
        };

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            int n;
            try {
                n = payloads.parse(message.getPayload(), sink);
            } catch (RuntimeException e) { // thrown out of here, it would make Paho drop the connection
                Log.error(e, "{}: payload on {} could not be handled", name, topic);
                return;
            }
            if (n > 0) return;
            long now = System.nanoTime();
            if (reported && now - lastReport < 10_000_000_000L) {
                suppressed++; // within a burst: counted, reported with the next line
                return;
            }
            Log.warn("{}: malformed payload on {} skipped: {}{}", name, topic, payloads.lastProblem(),
                    suppressed > 0 ? " (and " + suppressed + " more in the last 10 s)" : "; more in the next 10 s are only counted");
            reported = true;
            lastReport = now;
            suppressed = 0;
        }

        @Override
        public void connectionLost(Throwable cause) {
            lostAtNanos = Math.max(1, System.nanoTime());
            stats.increment(Counter.DISCONNECTS);
            Log.warn("{}: lost the broker ({}); reconnecting with back-off", name, MqttLink.why(cause));
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            long lost = lostAtNanos;
            if (!reconnect || lost == 0) return;
            long gapMs = (System.nanoTime() - lost) / 1_000_000;
            stats.add(Counter.GAP_MILLIS, gapMs);
            stats.increment(Counter.REPROBES);
            lostAtNanos = 0;
            // subscribing waits for the broker's answer, which arrives on this very thread: ask without waiting
            try {
                client.subscribe(topics, qos);
            } catch (MqttException e) {
                Log.warn("{}: re-subscribing failed ({})", name, MqttLink.why(e));
            }
            Log.warn("{}: reconnected after {} s without the broker", name, String.format(java.util.Locale.ROOT, "%.1f", gapMs / 1e3));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
