package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class SigmoidTest {

    @Test
    void sigmoidOfZeroIsHalfWithSlopeQuarterAndSaturatesWithoutNaN() {
        GradientHarness h = LeakyReluTest.identityInFront(NetworkSpec.builder(3).dense(3).sigmoid().build(),
                new float[] {0f, 1000f, -1000f});
        h.run(true);
        Layer act = h.net.layers().get(1);
        assertArrayEquals(new float[] {0.5f, 1f, 0f}, DenseTest.slice(h.a, act.outputOffset(), 3));
        // dL/dy = 2y/3; dL/dx = dL/dy·y(1−y): 1/3·1/4 at 0, exactly 0 where saturated
        assertArrayEquals(new float[] {1f / 12, 0f, 0f}, DenseTest.slice(h.a, act.dx, 3), 1e-8f);
        for (float v : DenseTest.slice(h.a, act.dx, 3)) assertTrue(Float.isFinite(v));
    }

    @Test
    void sigmoidGradientsMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).sigmoid().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 10L).randomize(10, 2.0);
        h.run(true);
        h.assertAll(true, 1);
    }
}
