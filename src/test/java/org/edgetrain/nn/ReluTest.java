package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class ReluTest {

    @Test
    void reluBlocksGradientOfNonPositiveInputsIncludingZero() {
        GradientHarness h = LeakyReluTest.identityInFront(NetworkSpec.builder(3).dense(3).relu().build(),
                new float[] {-2f, 0f, 3f});
        h.run(true);
        Layer act = h.net.layers().get(1);
        // compared by value: ReLU is LeakyRelu with slope 0, so a negative input gives −0.0 (== 0)
        assertArrayEquals(new float[] {0f, 0f, 3f}, DenseTest.slice(h.a, act.outputOffset(), 3), 0f);
        // dL/dy = 2y/3 = [0, 0, 2]; ReLU passes only x > 0
        assertArrayEquals(new float[] {0f, 0f, 2f}, DenseTest.slice(h.a, act.dx, 3), 1e-7f);
        assertEquals(0f, h.a[act.dx + 1]);
    }

    @Test
    void reluGradientsMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).relu().dense(3).build();
        for (int batch : new int[] {3, 5}) {
            GradientHarness h = new GradientHarness(spec, batch, LossKind.MSE, 6L).randomize(6 + batch, 1.0);
            h.run(true);
            h.assertAll(true, 1);
        }
    }
}
