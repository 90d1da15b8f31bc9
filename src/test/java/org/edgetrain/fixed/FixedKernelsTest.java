package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.edgetrain.kernels.NativeLibrary;
import org.junit.jupiter.api.Test;

/** The integer kernels: narrowing, rounding and saturation rules, and the native products against Java bit for bit. */
class FixedKernelsTest {
    final JavaFixedKernels k = new JavaFixedKernels();

    @Test
    void roundShiftRoundsHalfUpAndShiftsLeftForNegativeShifts() {
        assertEquals(2, FixedKernels.roundShift(3, 1));   // 1.5 → 2
        assertEquals(-1, FixedKernels.roundShift(-3, 1)); // −1.5 → −1 (half up, like vrshr)
        assertEquals(-2, FixedKernels.roundShift(-5, 1)); // −2.5 → −2
        assertEquals(12, FixedKernels.roundShift(3, -2));
        assertEquals(0, FixedKernels.roundShift(1L << 40, 70));
    }

    @Test
    void denseForwardAccumulatesExactlyAndSaturatesWithACount() {
        short[] a = new short[16];
        // x = [32767, 32767], w = [32767, 32767]: the sum 2·(2^15−1)^2 overflows an int32, not the exact sum
        a[0] = a[1] = a[2] = a[3] = Short.MAX_VALUE;
        long[] stats = new long[2];
        k.denseForward(a, 0, 2, -1, 0, 4, 1, 2, 1, 15, stats);
        assertEquals(Short.MAX_VALUE, a[4]);
        assertEquals(1, stats[1], "one saturation");
        assertEquals((2L * 32767 * 32767 + (1 << 14)) >> 15, stats[0], "largest magnitude before saturation");
        k.denseForward(a, 0, 2, -1, 0, 4, 1, 2, 1, 17, stats);
        assertEquals((2L * 32767 * 32767 + (1 << 16)) >> 17, a[4]);
    }

    @Test
    void stochasticRoundingKeepsTinyUpdatesInExpectationAndNearestDropsThem() {
        int n = 20_000;
        short[] a = new short[2 * n];
        for (int i = 0; i < n; i++) a[n + i] = 1000; // gradient 1000 units
        long[] stats = new long[2];
        // update = g · 2^14 · 2^-30 = 1000/65536 ≈ 0.0153 of one step per weight
        k.sgdStep(a, 0, n, n, 1 << 14, 30, 0, 0, 42, true, stats);
        long moved = 0;
        for (int i = 0; i < n; i++) moved -= a[i];
        assertEquals(n * 1000.0 / 65536, moved, 4 * Math.sqrt(n * 0.0153), "stochastic: the expected total move");
        java.util.Arrays.fill(a, 0, n, (short) 0);
        k.sgdStep(a, 0, n, n, 1 << 14, 30, 0, 0, 42, false, stats);
        for (int i = 0; i < n; i++) assertEquals(0, a[i], "nearest: an update under half a step vanishes");
    }

    @Test
    void coefficientsEncodeRealsWithAFifteenBitMantissa() {
        for (double c : new double[] {1e-3, 0.9, 1.0, 32.768, 1e-7, 0.999999}) {
            double back = Coefficient.mantissa(c) * Math.scalb(1.0, -Coefficient.shift(c));
            assertEquals(c, back, c * 0x1p-14, "c = " + c);
            assertTrue(Coefficient.mantissa(c) >= 1 << 14 && Coefficient.mantissa(c) < 1 << 15);
        }
        assertEquals(0, Coefficient.mantissa(0));
    }

    @Test
    void formatGrowsAtOnceOnOverflowAndShrinksAfterAQuietWindow() {
        QFormat q = new QFormat("t", 12, false);
        q.stats()[0] = 70_000; // would need 3 more bits than half the range (16384)
        q.stats()[1] = 5;
        assertEquals(-3, q.adapt());
        assertEquals(9, q.frac());
        assertEquals(5, q.saturations());
        for (int i = 0; i < QFormat.ADAPT_EVERY - 1; i++) {
            q.stats()[0] = 1000; // under an eighth of the range (4096)
            assertEquals(0, q.adapt());
        }
        q.stats()[0] = 1000;
        assertEquals(1, q.adapt(), "one bit finer after a window of small values");
        q.stats()[0] = 20_000; // between ½ and 1 of the range: grow one bit
        assertEquals(-1, q.adapt());
    }

    @Test
    void nativeProductsMatchJavaBitForBitOnEdgeShapes() {
        NativeLibrary.Result lib = NativeLibrary.load();
        if (System.getenv("CI") != null) assertTrue(lib.ok(), lib.reason());
        assumeTrue(NativeFixedKernels.available(), "native library not available here");
        FixedKernelCheck check = new FixedKernelCheck(new JavaFixedKernels(), NativeFixedKernels.direct());
        List<String> failures = check.run();
        assertEquals(List.of(), failures);
        assertTrue(check.values() > 1_000_000, "values compared: " + check.values());
    }
}
