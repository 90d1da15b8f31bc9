package org.edgetrain.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as {@code String.format(Locale.ROOT, ...)} writes them, without {@link java.util.Formatter}: Formatter builds a
 * DecimalFormatSymbols on every call (the daemon's log lines were most of what it allocated outside the step) and its
 * classes are loaded only for that. The daemon's start path and its log lines use these.
 * Digits come from {@link Double#toString} rounded half-up, exactly as Formatter's FormattedFloatingDecimal does
 * ({@code DecimalTest} compares both over many values).
 */
public final class Decimal {
    private Decimal() {
    }

    /** {@code %.<precision>g}: {@code precision} significant digits, scientific below 1e-4 or from 10^precision. */
    public static String sig(double v, int precision) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
        int p = Math.max(1, precision);
        StringBuilder sb = new StringBuilder(p + 8);
        if (Double.compare(v, 0.0) < 0) sb.append('-');
        double a = Math.abs(v);
        if (a == 0.0) {
            sb.append('0');
            if (p > 1) sb.append('.');
            for (int i = 1; i < p; i++) sb.append('0');
            return sb.toString();
        }
        BigDecimal r = new BigDecimal(Double.toString(a)).round(new MathContext(p, RoundingMode.HALF_UP));
        int exponent = r.precision() - r.scale() - 1;
        if (exponent >= -4 && exponent < p) return sb.append(r.setScale(p - 1 - exponent, RoundingMode.UNNECESSARY).toPlainString()).toString();
        String digits = r.unscaledValue().toString();
        sb.append(digits.charAt(0));
        if (p > 1) sb.append('.');
        for (int i = 1; i < p; i++) sb.append(i < digits.length() ? digits.charAt(i) : '0');
        sb.append(exponent < 0 ? "e-" : "e+");
        int e = Math.abs(exponent);
        if (e < 10) sb.append('0');
        return sb.append(e).toString();
    }

    /** {@code %.<scale>f}: {@code scale} digits after the point, rounded half-up. */
    public static String fixed(double v, int scale) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
        String s = new BigDecimal(Double.toString(Math.abs(v))).setScale(scale, RoundingMode.HALF_UP).toPlainString();
        return Double.compare(v, 0.0) < 0 ? "-" + s : s;
    }

    /** {@code %,d}: thousands separated by commas, e.g. 241,832. */
    public static String grouped(long n) {
        String digits = Long.toString(n);
        int start = n < 0 ? 1 : 0;
        int len = digits.length() - start;
        StringBuilder sb = new StringBuilder(digits.length() + len / 3);
        sb.append(digits, 0, start);
        for (int i = 0; i < len; i++) {
            if (i > 0 && (len - i) % 3 == 0) sb.append(',');
            sb.append(digits.charAt(start + i));
        }
        return sb.toString();
    }

    /** {@code %0<width>d} for n >= 0: zero-padded to {@code width} digits. */
    public static String zeroPadded(long n, int width) {
        String digits = Long.toString(n);
        if (n < 0 || digits.length() >= width) return digits;
        StringBuilder sb = new StringBuilder(width);
        for (int i = digits.length(); i < width; i++) sb.append('0');
        return sb.append(digits).toString();
    }
}
