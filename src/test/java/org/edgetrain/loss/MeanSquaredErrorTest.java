package org.edgetrain.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MeanSquaredErrorTest {
    final Loss mse = new MeanSquaredError();

    @Test
    void meanSquaredErrorAveragesSquaredDifferencesOverBatchAndOutputs() {
        // d = [1, 0, −2, 0.5]: Σd² = 5.25 over 4 elements; dL/dz = 2d/4
        LossCheck c = new LossCheck(new float[] {1, 2, 3, 4}, new float[] {0, 2, 5, 3.5f}, 2, 2);
        assertEquals(1.3125f, c.forwardBackward(mse));
        assertArrayEquals(new float[] {0.5f, 0f, -1f, 0.25f}, c.gradient());
        assertEquals(1.3125f, mse.value(c.a, c.z, c.t, 2, 2));
        assertEquals(2, mse.targetWidth(2));
    }

    @Test
    void meanSquaredErrorGradientMatchesFiniteDifferences() {
        Random r = new Random(71);
        for (int[] shape : new int[][] {{1, 1}, {3, 5}, {5, 7}}) {
            int b = shape[0], n = shape[1];
            float[] z = new float[b * n], t = new float[b * n];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian();
                t[i] = (float) r.nextGaussian();
            }
            LossCheck c = new LossCheck(z, t, b, n);
            float l = c.forwardBackward(mse);
            double[] td = c.targetsAsDouble();
            c.assertGradientMatches("mse", x -> {
                double s = 0;
                for (int i = 0; i < x.length; i++) s += (x[i] - td[i]) * (x[i] - td[i]);
                return s / x.length;
            }, 1e-4);
            assertEquals(l, mse.value(c.a, c.z, c.t, b, n), 1e-6 * l, "value and forwardBackward disagree");
        }
    }
}
