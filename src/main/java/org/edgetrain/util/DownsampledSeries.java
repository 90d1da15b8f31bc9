package org.edgetrain.util;

/**
 * A fixed-size history of (x, y) points for a plot of a run of any length: points are averaged (or their maximum
 * kept) in buckets of {@code stride} consecutive adds; when the buffer is full, neighbouring buckets are merged in
 * pairs and the stride doubles, so the history always spans the whole run at between half and full resolution. Buckets
 * end at multiples of the stride when x counts up from 1 (steps), so a bucket never straddles a log interval that is
 * a multiple of it. Allocates nothing after construction; {@code add} and {@link #copy} lock the series briefly (one
 * writer, the training thread; one reader, the status page).
 */
public final class DownsampledSeries {
    /** How a bucket summarizes its points. */
    public enum Summary { MEAN, MAX, LAST }

    private final long[] xs;
    private final double[] ys;
    private final int[] counts;
    private final Summary summary;
    private int n;
    private long stride = 1;
    // the bucket being filled
    private double acc;
    private int pending;
    private long lastX;

    public DownsampledSeries(int capacity, Summary summary) {
        if (capacity < 2 || capacity % 2 != 0) throw new IllegalArgumentException("capacity must be even and >= 2: " + capacity);
        this.xs = new long[capacity];
        this.ys = new double[capacity];
        this.counts = new int[capacity];
        this.summary = summary;
    }

    /** Adds one point; non-finite y values are skipped (a plot cannot show them). */
    public synchronized void add(long x, double y) {
        if (!Double.isFinite(y)) return;
        acc = pending == 0 ? y : switch (summary) {
            case MEAN -> acc + y;
            case MAX -> Math.max(acc, y);
            case LAST -> y;
        };
        pending++;
        lastX = x;
        if (pending >= stride) flush();
    }

    private void flush() {
        xs[n] = lastX;
        ys[n] = summary == Summary.MEAN ? acc / pending : acc;
        counts[n] = pending;
        n++;
        pending = 0;
        if (n == xs.length) halve(); // now, between buckets: the next one starts at a multiple of the new stride
    }

    private void halve() {
        for (int i = 0; i < n / 2; i++) {
            int a = 2 * i, b = a + 1;
            double y = switch (summary) {
                case MEAN -> (ys[a] * counts[a] + ys[b] * counts[b]) / (counts[a] + counts[b]);
                case MAX -> Math.max(ys[a], ys[b]);
                case LAST -> ys[b];
            };
            xs[i] = xs[b];
            ys[i] = y;
            counts[i] = counts[a] + counts[b];
        }
        n /= 2;
        stride *= 2;
    }

    /** Points added per bucket now. */
    public synchronized long stride() {
        return stride;
    }

    /** The capacity a caller's arrays need for {@link #copy}: the buckets plus the one being filled. */
    public int maxPoints() {
        return xs.length + 1;
    }

    /** Copies the history (the bucket being filled last) into the arrays given; returns the number of points. */
    public synchronized int copy(long[] x, double[] y) {
        System.arraycopy(xs, 0, x, 0, n);
        System.arraycopy(ys, 0, y, 0, n);
        if (pending == 0) return n;
        x[n] = lastX;
        y[n] = summary == Summary.MEAN ? acc / pending : acc;
        return n + 1;
    }
}
