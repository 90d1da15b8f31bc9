package org.edgetrain.ingest.preprocess;

/**
 * Sliding windows over a stream: keeps the last {@code size} samples in a circular buffer and, once full, says a
 * window is ready every {@code stride} samples; {@link #copyWindow} flattens it oldest first, {@code size × channels}
 * floats (sample-major: {@code t0c0 t0c1 .. t1c0 ..}), which is a model's input row.
 */
public final class Windower {
    private final int size;
    private final int stride;
    private final int channels;
    private final float[] buf;
    private long pushed;
    private int sinceEmit;

    /** Windows of {@code size} samples every {@code stride} samples ({@code 1 <= stride}). */
    public Windower(int size, int stride, int channels) {
        if (size < 1 || stride < 1 || channels < 1) {
            throw new IllegalArgumentException("window size, stride and channels must be >= 1: " + size + ", " + stride + ", " + channels);
        }
        this.size = size;
        this.stride = stride;
        this.channels = channels;
        this.buf = new float[size * channels];
    }

    public int size() {
        return size;
    }

    public int stride() {
        return stride;
    }

    public int channels() {
        return channels;
    }

    /** Floats per window: {@code size × channels}. */
    public int width() {
        return size * channels;
    }

    /**
     * Adds one sample.
     *
     * @return true when a window ending at this sample is ready
     */
    public boolean push(float[] s, int offset) {
        int slot = (int) (pushed % size);
        System.arraycopy(s, offset, buf, slot * channels, channels);
        pushed++;
        if (pushed < size) return false;
        if (pushed == size || ++sinceEmit == stride) {
            sinceEmit = 0;
            return true;
        }
        return false;
    }

    /** Copies the last {@code size} samples, oldest first, to {@code dst[offset ..]}. */
    public void copyWindow(float[] dst, int offset) {
        copySamples(0, size, dst, offset);
    }

    /** Copies samples {@code from .. from+count} of the window (0 = oldest), channel-interleaved, to {@code dst}. */
    public void copySamples(int from, int count, float[] dst, int offset) {
        int oldest = (int) (pushed % size); // after a full window, the next slot to overwrite is the oldest
        for (int i = 0; i < count; i++) {
            int slot = (oldest + from + i) % size;
            System.arraycopy(buf, slot * channels, dst, offset + i * channels, channels);
        }
    }

    /** Starts over (e.g. after a gap in the stream, so a window never spans it). */
    public void reset() {
        pushed = 0;
        sinceEmit = 0;
    }

    public void save(String prefix, org.edgetrain.io.Checkpoint c) {
        c.floats(prefix + ".buf", buf).longs(prefix + ".pos", new long[] {pushed, sinceEmit});
    }

    public void load(String prefix, org.edgetrain.io.Checkpoint c) {
        System.arraycopy(c.floats(prefix + ".buf"), 0, buf, 0, buf.length);
        long[] p = c.longs(prefix + ".pos");
        // a valid CRC does not make the positions valid: out of range, no window would ever come out again
        if (p[0] < 0 || p[1] < 0 || p[1] >= stride) {
            throw new org.edgetrain.BadInputException(prefix + ".pos is " + p[0] + ", " + p[1] + "; allowed: >= 0 and 0.." + (stride - 1));
        }
        pushed = p[0];
        sinceEmit = (int) p[1];
    }

    /** Samples pushed since the last reset. */
    public long pushed() {
        return pushed;
    }
}
