package org.edgetrain.connect.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import org.edgetrain.config.SourceConfig.PayloadFormat;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.ingest.files.DelimitedText;
import org.edgetrain.io.Json;

/**
 * Turns one MQTT payload into readings. JSON: an object whose fields (a dotted path for a nested one, e.g. {@code
 * env.temperature}) are the channels, numbers or booleans (1/0), {@code null} for a missing value, and an optional
 * timestamp field in seconds or milliseconds since 1970. CSV: one or more lines of the channels' values in order,
 * parsed like a CSV file's lines ({@link DelimitedText}). A payload that is not that (not JSON, a field missing or not a
 * number, longer than {@code source.max_payload}) is malformed: counted as {@link Counter#MALFORMED_LINES} and
 * skipped, and the caller logs it once per burst.
 *
 * <p>Not allocation-free: Paho hands over each message as new objects anyway, and the JSON tree is built per message;
 * the training step, on another thread, allocates nothing.
 */
final class Payloads {
    /** Receives each reading a payload holds. */
    interface Sink {
        void reading(long timestampNanos, float[] values);
    }

    private final PayloadFormat format;
    private final String[][] paths;
    private final String[] timestamp;
    private final int maxPayload;
    private final SourceStats stats;
    private final DelimitedText csv;
    private final float[] row;
    private byte[] payload;
    private int fed;
    private String lastProblem;

    Payloads(PayloadFormat format, List<String> columns, String timestampField, int maxPayload, SourceStats stats, String name) {
        this.format = format;
        this.paths = new String[columns.size()][];
        for (int i = 0; i < paths.length; i++) paths[i] = columns.get(i).split("\\.");
        this.timestamp = timestampField == null ? null : timestampField.split("\\.");
        this.maxPayload = maxPayload;
        this.stats = stats;
        this.row = new float[columns.size()];
        this.csv = format == PayloadFormat.CSV ? new DelimitedText(name, columns, stats, columns.size(), false) : null;
    }

    /**
     * Parses {@code bytes}, handing each reading to {@code sink}.
     *
     * @return the readings found; 0 for a malformed payload (counted, and {@link #lastProblem()} says why)
     */
    int parse(byte[] bytes, Sink sink) {
        if (bytes.length > maxPayload) return malformed("payload of " + bytes.length + " bytes, longer than source.max_payload " + maxPayload);
        return format == PayloadFormat.JSON ? json(bytes, sink) : csv(bytes, sink);
    }

    /** Why the last malformed payload was refused. */
    String lastProblem() {
        return lastProblem;
    }

    private int json(byte[] bytes, Sink sink) {
        Object tree;
        try {
            tree = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            return malformed("not JSON: " + e.getMessage());
        }
        if (!(tree instanceof Map)) return malformed("a JSON object was expected, found " + Json.write(tree).replaceAll("(.{40}).+", "$1..."));
        for (int i = 0; i < paths.length; i++) {
            Object v = at(tree, paths[i]);
            if (v == MISSING) return malformed("no field '" + String.join(".", paths[i]) + "'");
            float f = number(v);
            if (f != f && v != null) return malformed("field '" + String.join(".", paths[i]) + "' is not a number: " + Json.write(v));
            row[i] = f;
        }
        long ts = System.nanoTime();
        if (timestamp != null) {
            Object v = at(tree, timestamp);
            if (!(v instanceof Number n)) return malformed("timestamp field '" + String.join(".", timestamp) + "' missing or not a number");
            double t = n.doubleValue();
            ts = (long) (t < 1e11 ? t * 1e9 : t * 1e6); // seconds or milliseconds since 1970, kept as nanoseconds since 1970
        }
        sink.reading(ts, row);
        return 1;
    }

    private static final Object MISSING = new Object();

    private static Object at(Object tree, String[] path) {
        Object o = tree;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(p)) return MISSING;
            o = m.get(p);
        }
        return o;
    }

    /** A JSON value as a reading: numbers, booleans as 1/0, null as missing (NaN); anything else NaN. */
    private static float number(Object v) {
        if (v instanceof Number n) return n.floatValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof String s) {
            try {
                return Float.parseFloat(s.strip()); // Tasmota and some gateways quote their numbers
            } catch (NumberFormatException e) {
                return Float.NaN;
            }
        }
        return Float.NaN;
    }

    private int csv(byte[] bytes, Sink sink) {
        payload = bytes;
        fed = 0;
        long before = stats.get(Counter.MALFORMED_LINES);
        int n = 0;
        try {
            while (csv.next(this::feed, row, 0) > 0) {
                sink.reading(System.nanoTime(), row);
                n++;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // feed() does not throw
        }
        if (n == 0 && stats.get(Counter.MALFORMED_LINES) == before) return malformed("no reading in the payload");
        if (stats.get(Counter.MALFORMED_LINES) != before) lastProblem = "a line that is not " + row.length + " numbers";
        return n;
    }

    /** The payload, then a newline ending its last line, then nothing until the next message. */
    private int feed(byte[] buf, int off, int len) {
        if (payload == null) return 0;
        int n = Math.min(len, payload.length - fed);
        System.arraycopy(payload, fed, buf, off, n);
        fed += n;
        if (fed == payload.length && n < len) {
            buf[off + n++] = '\n';
            payload = null;
        }
        return n;
    }

    private int malformed(String why) {
        stats.increment(Counter.MALFORMED_LINES);
        lastProblem = why;
        return 0;
    }
}
