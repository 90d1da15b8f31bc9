package org.edgetrain.daemon;

import org.edgetrain.io.Checkpoint;

/**
 * A preallocated table of rows of one width, kept as fp32 or, with {@code engine.precision = fixed}, as int16 on a
 * fixed power-of-two scale ({@code real = q · 2^-frac}, round to nearest; values beyond the int16 range saturate and
 * are counted). The daemon's replay buffer and held-out slice are most of its memory; in int16 they take half.
 *
 * <p>Rows hold standardized features (about N(0, 1): frac {@link #STANDARDIZED_FRAC} covers ±8 standard deviations in
 * steps of 2.4e-4, far below the int16 trainer's own input grid) or class labels (frac 0: exact integers).
 */
final class RowStore {
    /** The scale of standardized values: ±8 with 12 fractional bits. */
    static final int STANDARDIZED_FRAC = 12;

    private final int width;
    private final float[] f; // fp32 rows, or null
    private final short[] q; // int16 rows, or null
    private final int frac;
    private final float scale, inverse;
    private long saturations;

    private RowStore(int rows, int width, boolean int16, int frac) {
        this.width = width;
        this.f = int16 ? null : new float[rows * width];
        this.q = int16 ? new short[rows * width] : null;
        this.frac = frac;
        this.scale = Math.scalb(1f, frac);
        this.inverse = Math.scalb(1f, -frac);
    }

    static RowStore fp32(int rows, int width) {
        return new RowStore(rows, width, false, 0);
    }

    static RowStore int16(int rows, int width, int frac) {
        return new RowStore(rows, width, true, frac);
    }

    boolean isInt16() {
        return q != null;
    }

    int frac() {
        return frac;
    }

    /** Stores {@code width} values from {@code src[off ..]} as row {@code row}. */
    void put(int row, float[] src, int off) {
        int at = row * width;
        if (f != null) {
            System.arraycopy(src, off, f, at, width);
            return;
        }
        for (int i = 0; i < width; i++) {
            float s = Math.round(src[off + i] * scale);
            if (s > Short.MAX_VALUE) {
                s = Short.MAX_VALUE;
                saturations++;
            } else if (s < Short.MIN_VALUE) {
                s = Short.MIN_VALUE;
                saturations++;
            } else if (s != s) { // NaN: the preprocessing lets none through; store 0 rather than garbage
                s = 0;
                saturations++;
            }
            q[at + i] = (short) s;
        }
    }

    /** Copies row {@code row} into {@code dst[off ..]} in real units. */
    void get(int row, float[] dst, int off) {
        int at = row * width;
        if (f != null) {
            System.arraycopy(f, at, dst, off, width);
            return;
        }
        for (int i = 0; i < width; i++) dst[off + i] = q[at + i] * inverse;
    }

    /** Bytes of the table. */
    long bytes() {
        return f != null ? 4L * f.length : 2L * q.length;
    }

    /** Values clipped to the int16 range (0 in fp32). */
    long saturations() {
        return saturations;
    }

    void save(Checkpoint c, String name) {
        if (f != null) {
            c.floats(name, f);
            return;
        }
        int[] packed = new int[(q.length + 1) / 2]; // two int16 values an int: a checkpoint has no int16 section
        for (int i = 0; i < q.length; i++) packed[i >> 1] |= (q[i] & 0xffff) << ((i & 1) * 16);
        c.ints(name + ".int16", packed);
        c.longs(name + ".saturations", new long[] {saturations});
    }

    void load(Checkpoint c, String name) {
        if (f != null) {
            float[] v = c.floats(name);
            System.arraycopy(v, 0, f, 0, Math.min(v.length, f.length));
            return;
        }
        int[] packed = c.ints(name + ".int16");
        int n = Math.min(q.length, packed.length * 2);
        for (int i = 0; i < n; i++) q[i] = (short) (packed[i >> 1] >>> ((i & 1) * 16));
        saturations = c.longs(name + ".saturations")[0];
    }
}
