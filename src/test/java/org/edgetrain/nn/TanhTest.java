package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class TanhTest {

    @Test
    void tanhGradientIsOneMinusOutputSquared() {
        GradientHarness h = LeakyReluTest.identityInFront(NetworkSpec.builder(3).dense(3).tanh().build(),
                new float[] {0f, 0.5f, -2f});
        h.run(true);
        Layer act = h.net.layers().get(1);
        double[] y = {0.0, Math.tanh(0.5), Math.tanh(-2.0)};
        assertArrayEquals(new float[] {0f, (float) y[1], (float) y[2]}, DenseTest.slice(h.a, act.outputOffset(), 3), 1e-7f);
        float[] expected = new float[3];
        for (int i = 0; i < 3; i++) expected[i] = (float) (2 * y[i] / 3 * (1 - y[i] * y[i]));
        assertArrayEquals(expected, DenseTest.slice(h.a, act.dx, 3), 1e-7f);
    }

    @Test
    void tanhGradientsMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 5, LossKind.MSE, 11L).randomize(11, 1.5);
        h.run(true);
        h.assertAll(true, 1);
    }
}
