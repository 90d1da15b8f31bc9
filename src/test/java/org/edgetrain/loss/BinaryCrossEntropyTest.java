package org.edgetrain.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryCrossEntropyTest {
    final Loss bce = new BinaryCrossEntropy();

    @Test
    void binaryCrossEntropyWithLogitsMatchesHandValues() {
        // −[t·log σ(z) + (1−t)·log(1−σ(z))]: log 2, log(1+e²), log(1+e), log(1+e^0.5); mean 1.276853466
        LossCheck c = new LossCheck(new float[] {0f, 2f, -1f, 0.5f}, new float[] {1, 0, 1, 0}, 2, 2);
        assertEquals(1.276853466f, c.forwardBackward(bce), 1e-7f);
        // (σ(z) − t) / 4
        assertArrayEquals(new float[] {-0.5f / 4, 0.880797078f / 4, -0.731058579f / 4, 0.622459331f / 4}, c.gradient(), 1e-7f);
        assertEquals(1.276853466f, bce.value(c.a, c.z, c.t, 2, 2), 1e-7f);
        assertEquals(2, bce.targetWidth(2));
    }

    @Test
    void binaryCrossEntropyStaysFiniteForLogitsOfPlusMinusAHundred() {
        LossCheck c = new LossCheck(new float[] {100, -100, 100, -100}, new float[] {0, 1, 1, 0}, 1, 4);
        // wrong with confidence 100: loss 100 each; right: ~e^−100
        float l = c.forwardBackward(bce);
        assertEquals(50f, l, 1e-5f);
        float[] g = c.gradient();
        for (float v : g) assertTrue(Float.isFinite(v), "gradient not finite");
        assertArrayEquals(new float[] {0.25f, -0.25f, 0f, 0f}, g, 1e-7f);
        assertEquals(l, bce.value(c.a, c.z, c.t, 1, 4));
    }

    @Test
    void binaryCrossEntropyGradientMatchesFiniteDifferencesForHardAndSoftTargets() {
        Random r = new Random(74);
        for (int[] shape : new int[][] {{1, 1}, {3, 5}, {5, 7}}) {
            int b = shape[0], n = shape[1];
            float[] z = new float[b * n], t = new float[b * n];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (3 * r.nextGaussian());
                t[i] = i % 3 == 0 ? 0.3f : (r.nextBoolean() ? 1f : 0f);
            }
            LossCheck c = new LossCheck(z, t, b, n);
            float l = c.forwardBackward(bce);
            double[] td = c.targetsAsDouble();
            c.assertGradientMatches("bce with logits", x -> {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    double p = 1 / (1 + Math.exp(-x[i]));
                    s -= td[i] * Math.log(p) + (1 - td[i]) * Math.log(1 - p);
                }
                return s / x.length;
            }, 1e-4);
            assertEquals(l, bce.value(c.a, c.z, c.t, b, n), 1e-6 * l, "value and forwardBackward disagree");
        }
    }
}
