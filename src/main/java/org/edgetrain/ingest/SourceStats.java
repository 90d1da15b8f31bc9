package org.edgetrain.ingest;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of what happened to a stream, shared by the source thread and the trainer (each counter has one writer;
 * any thread may read). Counting is how the ingest path reports trouble without stopping: an overrun, a failed read,
 * a malformed line, a missing value or an outlier is counted and the stream goes on.
 */
public final class SourceStats {
    /** What is counted. */
    public enum Counter {
        /** samples read from the source */
        SAMPLES,
        /** samples dropped because the ring buffer was full (the trainer fell behind) */
        OVERRUNS,
        /** reads that failed (each retry that fails counts) */
        READ_ERRORS,
        /** bursts of failures that exhausted the retries: the sensor is reported gone and re-probed */
        DISCONNECTS,
        /** re-probes of a vanished sensor (successful or not) */
        REPROBES,
        /** input lines that could not be parsed and were skipped */
        MALFORMED_LINES,
        /** missing (NaN or infinite) values replaced, or samples dropped for them */
        MISSING_VALUES,
        /** samples dropped for a missing value ({@code preprocess.missing = drop}) */
        DROPPED_SAMPLES,
        /** values clipped as outliers */
        OUTLIERS,
        /** training rows (windows) produced */
        WINDOWS,
        /** milliseconds a networked source was cut off (broker lost until reconnected); each gap also counts a disconnect */
        GAP_MILLIS;

        /** The name used in printed statistics, e.g. {@code read_errors}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(Counter.values().length);

    /** Adds one. */
    public void increment(Counter c) {
        counts.incrementAndGet(c.ordinal());
    }

    /** Adds {@code n}. */
    public void add(Counter c, long n) {
        if (n != 0) counts.addAndGet(c.ordinal(), n);
    }

    public long get(Counter c) {
        return counts.get(c.ordinal());
    }

    /** One line, e.g. {@code samples 1000  overruns 0  read_errors 2 ...} (allocates: for logs, not the hot path). */
    public String line() {
        StringBuilder sb = new StringBuilder();
        for (Counter c : Counter.values()) {
            if (sb.length() > 0) sb.append("  ");
            sb.append(c.label()).append(' ').append(get(c));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
