package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class PReluTest {

    @Test
    void preluStartsAtPyTorchsQuarterAndItsWeightGradientSumsGradientTimesNegativeInputs() {
        GradientHarness h = LeakyReluTest.identityInFront(NetworkSpec.builder(3).dense(3).prelu().build(),
                new float[] {-2f, 0.5f, -1f});
        Parameter alpha = h.net.state().stream().filter(p -> p.name().equals("1.weight")).findFirst().orElseThrow();
        assertEquals(1, alpha.size());
        assertEquals(0.25f, h.a[alpha.offset()]);
        h.run(true);
        Layer act = h.net.layers().get(1);
        // y = [−0.5, 0.5, −0.25]; dL/dy = 2y/3; dL/dα = Σ_{x≤0} dL/dy·x
        float[] y = {-0.5f, 0.5f, -0.25f};
        assertArrayEquals(y, DenseTest.slice(h.a, act.outputOffset(), 3), 1e-7f);
        float[] dy = {2 * y[0] / 3, 2 * y[1] / 3, 2 * y[2] / 3};
        assertEquals(dy[0] * -2f + dy[2] * -1f, h.a[alpha.gradOffset()], 1e-7f);
        assertArrayEquals(new float[] {0.25f * dy[0], dy[1], 0.25f * dy[2]}, DenseTest.slice(h.a, act.dx, 3), 1e-7f);
    }

    @Test
    void sharedPreluGradientsMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).prelu().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 7L).randomize(7, 1.0);
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void perUnitPreluHasOneWeightPerUnitAndItsGradientsMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).add(new LayerSpec.PRelu(true, 0.25f)).dense(3).build();
        GradientHarness h = new GradientHarness(spec, 5, LossKind.MSE, 8L).randomize(8, 1.0);
        assertEquals(7, h.net.state().stream().filter(p -> p.name().equals("1.weight")).findFirst().orElseThrow().size());
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void frozenPreluKeepsItsSlopeOutOfTheGradientsAndStillPassesInputGradient() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).add(new LayerSpec.PRelu(true, 0.25f)).frozen().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 9L).randomize(9, 1.0);
        Parameter alpha = h.net.state().stream().filter(p -> p.name().equals("1.weight")).findFirst().orElseThrow();
        assertEquals(Parameter.Kind.FROZEN, alpha.kind());
        assertEquals(-1, alpha.gradOffset());
        h.run(true);
        h.assertAll(true, 1);
    }
}
