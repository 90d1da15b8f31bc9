package org.edgetrain.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;
import org.junit.jupiter.api.Test;

class ClippingTest {
    static final Kernels K = new JavaKernels();
    static final int AT = 5; // the gradient block sits at an offset, with values around it that must survive

    static float[] arena(float... g) {
        float[] a = new float[AT + g.length + 3];
        Arrays.fill(a, 77f);
        System.arraycopy(g, 0, a, AT, g.length);
        return a;
    }

    static float[] block(float[] a, int n) {
        assertEquals(77f, a[AT - 1]);
        assertEquals(77f, a[AT + n]);
        return Arrays.copyOfRange(a, AT, AT + n);
    }

    static double norm(float[] g) {
        double s = 0;
        for (float v : g) s += (double) v * v;
        return Math.sqrt(s);
    }

    @Test
    void clippingByValueClampsEachComponent() {
        float[] a = arena(3f, -4f, 0.5f, -0.2f);
        double returned = new Clipping(0f, 1f).apply(K, a, AT, 4);
        assertArrayEquals(new float[] {1f, -1f, 0.5f, -0.2f}, block(a, 4));
        assertEquals(Math.sqrt(1 + 1 + 0.25 + 0.04), returned, 1e-6);
    }

    @Test
    void clippingByNormScalesToMaxNormAndReturnsTheNormBeforeClipping() {
        float[] a = arena(3f, -4f, 0f);
        double returned = new Clipping(1f, 0f).apply(K, a, AT, 3);
        assertEquals(5.0, returned, 1e-12);
        float[] g = block(a, 3);
        assertArrayEquals(new float[] {0.6f, -0.8f, 0f}, g, 1e-6f);
        assertEquals(1.0, norm(g), 1e-5);
    }

    @Test
    void clippedGlobalNormEqualsMaxNormWithinOnePartInAHundredThousand() {
        Random r = new Random(111);
        for (int n : new int[] {1, 7, 33, 1001}) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) (r.nextGaussian() * 10);
            double before = norm(g);
            float maxNorm = (float) (before / 7);
            float[] a = arena(g);
            double returned = new Clipping(maxNorm, 0f).apply(K, a, AT, n);
            assertEquals(before, returned, 1e-9 * before, "n=" + n);
            float[] clipped = block(a, n);
            assertEquals(maxNorm, norm(clipped), 1e-5 * maxNorm, "n=" + n);
            for (int i = 0; i < n; i++) assertEquals(g[i] / 7.0, clipped[i], 1e-5 * Math.abs(g[i]) + 1e-7, "direction kept");
        }
    }

    @Test
    void gradientsWithinTheLimitsAreLeftBitForBit() {
        float[] g = {0.3f, -0.4f, 0.1f};
        float[] a = arena(g);
        double returned = new Clipping(1f, 0.5f).apply(K, a, AT, 3);
        assertArrayEquals(g, block(a, 3));
        assertEquals(norm(g), returned, 1e-7);
        float[] b = arena(30f, -40f);
        assertEquals(50.0, Clipping.NONE.apply(K, b, AT, 2), 1e-12);
        assertArrayEquals(new float[] {30f, -40f}, block(b, 2));
    }

    @Test
    void valueClippingRunsFirstAndTheReturnedNormIsTakenAfterIt() {
        float[] a = arena(3f, -4f, 0.5f);
        double returned = new Clipping(1f, 1f).apply(K, a, AT, 3);
        double afterValue = Math.sqrt(1 + 1 + 0.25);
        assertEquals(afterValue, returned, 1e-6);
        float[] g = block(a, 3);
        assertArrayEquals(new float[] {(float) (1 / afterValue), (float) (-1 / afterValue), (float) (0.5 / afterValue)}, g, 1e-6f);
    }

    @Test
    void negativeOrNaNLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Clipping(-1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Clipping(0f, Float.NaN));
    }
}
