package org.edgetrain.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
    final Loss ce = new CrossEntropy();

    @Test
    void crossEntropyIsMeanNegativeLogSoftmaxOfTheTargetClass() {
        // row 0: log(e¹+e²+e³) − 3 = 0.407605964; row 1: log 3 = 1.098612289
        LossCheck c = new LossCheck(new float[] {1, 2, 3, 0, 0, 0}, new float[] {2, 0}, 2, 3);
        assertEquals(0.753109127f, c.forwardBackward(ce), 1e-7f);
        // (softmax − onehot) / batch
        float[] expected = {0.0900305732f / 2, 0.244728471f / 2, (0.665240956f - 1) / 2,
                (1f / 3 - 1) / 2, 1f / 6, 1f / 6};
        assertArrayEquals(expected, c.gradient(), 1e-7f);
        assertEquals(0.753109127f, ce.value(c.a, c.z, c.t, 2, 3), 1e-7f);
        assertEquals(1, ce.targetWidth(3));
    }

    @Test
    void crossEntropyStaysFiniteForLogitsOfPlusMinusAThousand() {
        LossCheck c = new LossCheck(new float[] {1000, -1000, 0, 1000, -1000, 0}, new float[] {1, 0}, 2, 3);
        // row 0: target logit is 2000 below the max: loss 2000; row 1: the target is the max: loss 0
        float l = c.forwardBackward(ce);
        assertEquals(1000f, l, 1e-3f);
        float[] g = c.gradient();
        for (float v : g) assertTrue(Float.isFinite(v), "gradient not finite");
        assertArrayEquals(new float[] {0.5f, -0.5f, 0f, 0f, 0f, 0f}, g, 1e-7f);
        assertEquals(l, ce.value(c.a, c.z, c.t, 2, 3), 1e-3f);
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Random r = new Random(73);
        for (int[] shape : new int[][] {{1, 2}, {3, 5}, {5, 7}, {4, 17}}) {
            int b = shape[0], n = shape[1];
            float[] z = new float[b * n], t = new float[b];
            for (int i = 0; i < z.length; i++) z[i] = (float) (3 * r.nextGaussian());
            for (int i = 0; i < b; i++) t[i] = r.nextInt(n);
            LossCheck c = new LossCheck(z, t, b, n);
            float l = c.forwardBackward(ce);
            double[] td = c.targetsAsDouble();
            c.assertGradientMatches("cross-entropy", x -> {
                double s = 0;
                for (int row = 0; row < b; row++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += Math.exp(x[row * n + j]);
                    s += Math.log(sum) - x[row * n + (int) td[row]];
                }
                return s / b;
            }, 1e-4);
            assertEquals(l, ce.value(c.a, c.z, c.t, b, n), 1e-6 * l, "value and forwardBackward disagree");
        }
    }
}
