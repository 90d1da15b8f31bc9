package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class LeakyReluTest {

    /** dense(3) with W = I and b = 0 in front, so the activation's input is exactly x and its dx is readable. */
    static GradientHarness identityInFront(NetworkSpec spec, float[] x) {
        GradientHarness h = new GradientHarness(spec, 1, LossKind.MSE, 1L);
        Dense d = (Dense) h.net.layers().get(0);
        int w = d.weight().offset();
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 3; i++) h.a[w + o * 3 + i] = o == i ? 1f : 0f;
            h.a[d.bias().offset() + o] = 0f;
        }
        h.x = x;
        h.t = new float[] {0, 0, 0};
        return h;
    }

    @Test
    void leakyReluPassesNegativeGradientScaledBySlope() {
        GradientHarness h = identityInFront(NetworkSpec.builder(3).dense(3).leakyRelu(0.2f).build(), new float[] {-2f, 0.5f, 3f});
        h.run(true);
        Layer act = h.net.layers().get(1);
        // y = [0.2·−2, 0.5, 3]; MSE against 0: dL/dy = 2y/3
        float[] y = {-0.4f, 0.5f, 3f};
        assertArrayEquals(y, DenseTest.slice(h.a, act.outputOffset(), 3), 1e-7f);
        float[] dy = {2 * y[0] / 3, 2 * y[1] / 3, 2 * y[2] / 3};
        assertArrayEquals(new float[] {0.2f * dy[0], dy[1], dy[2]}, DenseTest.slice(h.a, act.dx, 3), 1e-7f);
    }

    @Test
    void leakyReluAtExactlyZeroUsesTheSlopeSideLikePyTorch() {
        GradientHarness h = identityInFront(NetworkSpec.builder(3).dense(3).leakyRelu(0.25f).dense(3).build(), new float[] {0f, 1f, -1f});
        h.run(true);
        Layer act = h.net.layers().get(1);
        Layer next = h.net.layers().get(2);
        float dy0 = h.a[next.dx];
        assertArrayEquals(new float[] {0.25f * dy0}, new float[] {h.a[act.dx]}, 1e-9f);
    }

    @Test
    void leakyReluGradientsMatchFiniteDifferences() {
        for (float slope : new float[] {0.01f, 0.3f}) {
            NetworkSpec spec = NetworkSpec.builder(5).dense(7).leakyRelu(slope).dense(3).build();
            GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 5L).randomize(5, 1.0);
            h.run(true);
            h.assertAll(true, 1);
        }
    }
}
