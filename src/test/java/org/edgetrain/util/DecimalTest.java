package org.edgetrain.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Decimal writes exactly what String.format(Locale.ROOT, ...) writes, which the logs and their readers rely on. */
class DecimalTest {
    private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, 9.99995, 9.99994999, 99999.5, 99999.4, 0.0001, 0.00009999995,
        0.000099999949, 1e-5, 1.5e-300, Double.MIN_VALUE, Double.MAX_VALUE, 123456.0, 0.5, 1.5, 2.5, 1e21, 1e-21, 0.1 + 0.2,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.0e7, 12345.65, 1234.565};

    @Test
    void significantDigitsMatchFormatter() {
        SplittableRandom rng = new SplittableRandom(15);
        for (int p : new int[] {1, 5, 6}) {
            for (double v : EDGES) check(v, p);
            for (int i = 0; i < 5_000; i++) {
                double v = Math.pow(10, rng.nextDouble(-12, 12)) * (rng.nextBoolean() ? 1 : -1);
                check(v, p);
                check(Double.parseDouble(String.format(Locale.ROOT, "%.7g", v)), p); // short decimals: the rounding ties
            }
        }
    }

    private static void check(double v, int p) {
        assertEquals(String.format(Locale.ROOT, "%." + p + "g", v), Decimal.sig(v, p), "%." + p + "g of " + v);
        assertEquals(String.format(Locale.ROOT, "%.0f", v), Decimal.fixed(v, 0), "%.0f of " + v);
        assertEquals(String.format(Locale.ROOT, "%.2f", v), Decimal.fixed(v, 2), "%.2f of " + v);
    }

    @Test
    void groupedAndPaddedMatchFormatter() {
        long[] values = {0, 1, -1, 999, 1000, -1000, 241_832, 1_000_000, -999_999, Long.MAX_VALUE, Long.MIN_VALUE, 12_345_678_901L};
        for (long n : values) assertEquals(String.format(Locale.ROOT, "%,d", n), Decimal.grouped(n), "%,d of " + n);
        for (long n : new long[] {0, 7, 252, 123_456_789_012L, 9_999_999_999_999L}) {
            assertEquals(String.format(Locale.ROOT, "%012d", n), Decimal.zeroPadded(n, 12), "%012d of " + n);
        }
    }
}
