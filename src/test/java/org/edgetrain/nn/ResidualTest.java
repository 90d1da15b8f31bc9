package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class ResidualTest {
    static final LayerSpec DENSE7 = new LayerSpec.Dense(7, Init.AUTO, true);
    static final LayerSpec TANH = new LayerSpec.Tanh();

    @Test
    void residualAddsItsInputAndPassesTheOutputGradientThroughTheSkip() {
        GradientHarness h = LeakyReluTest.identityInFront(
                NetworkSpec.builder(3).dense(3).residual(new LayerSpec.Dense(3, Init.AUTO, true)).build(),
                new float[] {1f, 1f, 1f});
        int w = BatchNorm1dTest.tensor(h, "1.0.weight").offset();
        int b = BatchNorm1dTest.tensor(h, "1.0.bias").offset();
        for (int i = 0; i < 9; i++) h.a[w + i] = 0f; // the block is x ↦ b
        h.a[b] = 1f;
        h.a[b + 1] = 2f;
        h.a[b + 2] = 3f;
        h.run(true);
        Layer res = h.net.layers().get(1);
        assertArrayEquals(new float[] {2f, 3f, 4f}, DenseTest.slice(h.a, res.outputOffset(), 3));
        // dL/dy = 2y/3; the block adds Wᵀ·dy = 0, so dL/dx is the skip's dL/dy alone
        assertArrayEquals(new float[] {4f / 3, 2f, 8f / 3}, DenseTest.slice(h.a, res.dx, 3), 1e-6f);
    }

    @Test
    void residualGradientsIncludingTheSkipMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).residual(DENSE7, TANH).dense(3).build();
        for (int batch : new int[] {1, 3, 5}) {
            GradientHarness h = new GradientHarness(spec, batch, LossKind.MSE, 41L).randomize(41 + batch, 1.0);
            h.run(true);
            h.assertAll(true, 1);
        }
    }

    @Test
    void residualOfOneParameterFreeLayerMatchesFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).residual(TANH).dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 42L).randomize(42, 1.0);
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void nestedResidualBlocksAreNamedLikePyTorchAndMatchFiniteDifferences() {
        LayerSpec inner = new LayerSpec.Residual(List.of(DENSE7, TANH));
        NetworkSpec spec = NetworkSpec.builder(5).dense(7)
                .residual(DENSE7, new LayerSpec.LeakyRelu(0.1f), inner, DENSE7).dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 43L).randomize(43, 1.0);
        Set<String> names = h.net.state().stream().map(Parameter::name).collect(Collectors.toSet());
        assertEquals(Set.of("0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.2.0.weight", "1.2.0.bias",
                "1.3.weight", "1.3.bias", "2.weight", "2.bias"), names);
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void residualBlockWithBatchNormMatchesFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7)
                .residual(DENSE7, new LayerSpec.BatchNorm(1e-5f, 0.1f), TANH, DENSE7).dense(3).build();
        GradientHarness h = new GradientHarness(spec, 5, LossKind.MSE, 44L).randomize(44, 1.0);
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void residualAsTheFirstLayerTrainsItsBlockWithoutAnInputGradient() {
        NetworkSpec spec = NetworkSpec.builder(7).residual(DENSE7, TANH, DENSE7).dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 45L).randomize(45, 1.0);
        h.run(true);
        assertTrue(h.net.layers().get(0).dx < 0, "the first layer computes no input gradient");
        h.assertAll(true, -1);
    }
}
