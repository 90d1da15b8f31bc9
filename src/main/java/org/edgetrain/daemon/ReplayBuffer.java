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
    private final RowStore x, y;
    private final Rng rng;
    private long seen;
    private int size;

    public ReplayBuffer(int capacity, int inWidth, int targetWidth, Rng rng) {
        this(capacity, RowStore.fp32(capacity, inWidth), RowStore.fp32(capacity, targetWidth), inWidth, targetWidth, rng);
    }

    /** A buffer whose rows are kept in the given stores (int16 ones with {@code engine.precision = fixed}). */
    ReplayBuffer(int capacity, RowStore x, RowStore y, int inWidth, int targetWidth, Rng rng) {
        if (capacity < 1) throw new IllegalArgumentException("replay capacity must be >= 1, got " + capacity);
        this.capacity = capacity;
        this.inWidth = inWidth;
        this.targetWidth = targetWidth;
        this.x = x;
        this.y = y;
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
        x.put(slot, xs, xOff);
        y.put(slot, ys, yOff);
    }

    /** Copies {@code rows} rows drawn uniformly (with replacement) into the batch arrays; returns the rows copied. */
    public int sample(float[] bx, float[] by, int rows) {
        if (size == 0) return 0;
        for (int r = 0; r < rows; r++) {
            int i = rng.nextInt(size);
            x.get(i, bx, r * inWidth);
            y.get(i, by, r * targetWidth);
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

    /** Bytes of the two row stores. */
    public long bytes() {
        return x.bytes() + y.bytes();
    }

    /** Values clipped to the int16 range on the way in (0 in fp32). */
    public long saturations() {
        return x.saturations() + y.saturations();
    }

    RowStore xRows() {
        return x;
    }

    RowStore yRows() {
        return y;
    }

    Rng rng() {
        return rng;
    }

    void restore(int size, long seen) {
        this.size = size;
        this.seen = seen;
    }
}
