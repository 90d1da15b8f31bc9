package org.edgetrain.ingest;

import java.io.IOException;

/**
 * Something that produces samples: a timestamp and {@link #channels()} floats. A source is read by exactly one thread
 * (its {@link SourceRunner}); {@link #read} must not allocate in the steady state, so that a board can sample for months
 * without garbage.
 *
 * <p>Missing values are written as NaN (the preprocessing decides what to do with them); a failed read throws
 * {@link IOException} and the runner retries it with back-off.
 */
public interface Source extends AutoCloseable {
    /** Returned by {@link #read} when no sample is available right now (a file being followed, a gated trigger). */
    long NO_SAMPLE = Long.MIN_VALUE;
    /** Returned by {@link #read} at the end of the stream (end of a file not followed, stdin closed). */
    long END = Long.MIN_VALUE + 1;

    /** A short name for logs and errors, e.g. {@code mpu6050@1:0x68}. */
    String name();

    /** Values per sample. */
    int channels();

    /** The channel names, in order (e.g. {@code ax, ay, az}). */
    String[] channelNames();

    /**
     * Checks that the device or file is there and configures it (chip id, wake-up, ranges); called before the first
     * read and again to re-probe a sensor that disappeared.
     *
     * @throws IOException when the device does not answer or is not the expected chip
     */
    default void open() throws IOException {
    }

    /**
     * Reads one sample into {@code values[offset .. offset + channels())}.
     *
     * @return the sample's timestamp in nanoseconds, or {@link #NO_SAMPLE}, or {@link #END}
     * @throws IOException when the read failed; the runner retries it
     */
    long read(float[] values, int offset) throws IOException;

    /**
     * True when the source can pause while the ring is full instead of losing samples: a file or a pipe keeps its
     * data until it is read, so the runner stops reading and nothing is lost; a sensor cannot (a sample not taken now
     * is gone), so for sensors a full ring is an overrun.
     */
    default boolean waitsWhenFull() {
        return false;
    }

    /**
     * True when samples arrive on their own clock (a broker, a serial line) rather than being read on demand: the
     * daemon then reads the source on its own thread, never on the training thread, even with {@code rate_hz = 0}.
     */
    default boolean live() {
        return false;
    }

    /** Releases the device or file; never throws. */
    @Override
    default void close() {
    }
}
