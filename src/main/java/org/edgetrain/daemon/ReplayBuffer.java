package org.edgetrain.daemon;

import org.edgetrain.util.Rng;

/**
 * A fixed-capacity replay buffer of training rows (inputs and targets) filled by reservoir sampling (Vitter's
 * algorithm R): after n rows have been offered, every one of them is held with the same probability capacity/n, so the
 * buffer keeps a uniform sample of everything seen instead of only the latest stretch, and a model trained from it
 * does not forget old conditions at once. Preallocated; offering and sampling allocate nothing.
 */
public final class ReplayBuffer {
    private final int capacity, inWidth, targetWidth;
    private final float[] x, y;
    private final Rng rng;
    private long seen;
    private int size;

    public ReplayBuffer(int capacity, int inWidth, int targetWidth, Rng rng) {
        if (capacity < 1) throw new IllegalArgumentException("replay capacity must be >= 1, got " + capacity);
        this.capacity = capacity;
        this.inWidth = inWidth;
        this.targetWidth = targetWidth;
        this.x = new float[org.edgetrain.memory.MemoryPlan.checked("replay buffer", "rows × inputs", (long) capacity * inWidth)];
        this.y = new float[org.edgetrain.memory.MemoryPlan.checked("replay buffer", "rows × targets", (long) capacity * targetWidth)];
        this.rng = rng;
    }

    /** Offers one row (at {@code xOff} / {@code yOff}); it is stored, replaces a random held row, or is passed over. */
    public void offer(float[] xs, int xOff, float[] ys, int yOff) {
        seen++;
        int slot;
        if (size < capacity) {
            slot = size++;
        } else {
            long j = (long) (rng.nextDouble() * seen);
            if (j >= capacity) return;
            slot = (int) j;
        }
        System.arraycopy(xs, xOff, x, slot * inWidth, inWidth);
        System.arraycopy(ys, yOff, y, slot * targetWidth, targetWidth);
    }

    /** Copies {@code rows} rows drawn uniformly (with replacement) into the batch arrays; returns the rows copied. */
    public int sample(float[] bx, float[] by, int rows) {
        if (size == 0) return 0;
        for (int r = 0; r < rows; r++) {
            int i = rng.nextInt(size);
            System.arraycopy(x, i * inWidth, bx, r * inWidth, inWidth);
            System.arraycopy(y, i * targetWidth, by, r * targetWidth, targetWidth);
        }
        return rows;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Rows offered so far. */
    public long seen() {
        return seen;
    }

    /** Bytes a buffer of {@code capacity} rows takes, computed before allocating it. */
    static long bytesFor(int capacity, int inWidth, int targetWidth) {
        return 4L * capacity * ((long) inWidth + targetWidth);
    }

    /** Bytes of the two row stores. */
    public long bytes() {
        return 4L * (x.length + y.length);
    }

    float[] xData() {
        return x;
    }

    float[] yData() {
        return y;
    }

    Rng rng() {
        return rng;
    }

    void restore(float[] xs, float[] ys, int size, long seen) {
        System.arraycopy(xs, 0, x, 0, Math.min(xs.length, x.length));
        System.arraycopy(ys, 0, y, 0, Math.min(ys.length, y.length));
        this.size = size;
        this.seen = seen;
    }
}
