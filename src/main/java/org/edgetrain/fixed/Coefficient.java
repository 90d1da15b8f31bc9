package org.edgetrain.fixed;

/**
 * A real coefficient (learning rate, momentum, weight decay, times the power of two between two tensors' scales) as
 * an integer multiplier and a right shift: {@code c ≈ mantissa · 2^-shift} with a 15-bit mantissa in
 * [2^14, 2^15), so that {@code int16 · mantissa} fits an int32 product and the kernels stay integer-only.
 *
 * <p>Made in Java from doubles with exact operations ({@link Math#getExponent}, {@link Math#scalb},
 * {@link Math#rint}), so every platform derives the same pair.
 */
public final class Coefficient {
    private Coefficient() {
    }

    /** Mantissa of c (0 when c is 0); pair it with {@link #shift}. */
    public static int mantissa(double c) {
        if (c == 0) return 0;
        long m = (long) Math.rint(Math.scalb(Math.abs(c), 14 - Math.getExponent(c)));
        int v = m >= (1 << 15) ? 1 << 14 : (int) m;
        return c < 0 ? -v : v;
    }

    /** Right shift of c's pair: {@code c ≈ mantissa(c) · 2^-shift(c)}. */
    public static int shift(double c) {
        if (c == 0) return 0;
        int s = 14 - Math.getExponent(c);
        long m = (long) Math.rint(Math.scalb(Math.abs(c), s));
        return m >= (1 << 15) ? s - 1 : s;
    }
}
