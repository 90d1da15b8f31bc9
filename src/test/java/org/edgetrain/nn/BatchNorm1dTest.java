package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class BatchNorm1dTest {

    static Parameter tensor(GradientHarness h, String name) {
        return h.net.state().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** Columns [1, 2, 3] and [0, 0, 6]: means 2 and 2, biased variances 2/3 and 8, unbiased 1 and 12. */
    static GradientHarness handBatch(LayerSpec.BatchNorm bn) {
        GradientHarness h = new GradientHarness(NetworkSpec.builder(2).add(bn).build(), 3, LossKind.MSE, 31L);
        h.x = new float[] {1, 0, 2, 0, 3, 6};
        System.arraycopy(h.x, 0, h.a, h.net.inputOffset(), 6);
        return h;
    }

    @Test
    void batchNormNormalizesWithBatchMeanAndBiasedVariance() {
        GradientHarness h = handBatch(new LayerSpec.BatchNorm(1e-5f, 0.1f));
        h.net.forward(3, true);
        double s0 = Math.sqrt(2.0 / 3 + 1e-5), s1 = Math.sqrt(8 + 1e-5);
        float[] expected = {(float) (-1 / s0), (float) (-2 / s1), 0f, (float) (-2 / s1), (float) (1 / s0), (float) (4 / s1)};
        assertArrayEquals(expected, DenseTest.slice(h.a, h.net.outputOffset(), 6), 1e-6f);
    }

    @Test
    void batchNormMovesRunningStatisticsByMomentumUsingTheUnbiasedVariance() {
        GradientHarness h = handBatch(new LayerSpec.BatchNorm(1e-5f, 0.1f));
        BatchNorm1d bn = (BatchNorm1d) h.net.layers().get(0);
        int rm = tensor(h, "0.running_mean").offset(), rv = tensor(h, "0.running_var").offset();
        h.net.forward(3, true);
        // r = 0.9·r + 0.1·stat from r = (0, 1): mean 2 → 0.2; unbiased var 1 → 1.0, 12 → 2.1
        assertArrayEquals(new float[] {0.2f, 0.2f}, DenseTest.slice(h.a, rm, 2), 1e-6f);
        assertArrayEquals(new float[] {1.0f, 2.1f}, DenseTest.slice(h.a, rv, 2), 1e-6f);
        assertEquals(1, bn.batchesTracked());
        assertEquals(1, tensor(h, "0.num_batches_tracked").counterValue());
        h.net.forward(3, true);
        assertArrayEquals(new float[] {0.38f, 0.38f}, DenseTest.slice(h.a, rm, 2), 1e-6f);
        assertArrayEquals(new float[] {1.0f, 3.09f}, DenseTest.slice(h.a, rv, 2), 1e-5f);
        assertEquals(2, bn.batchesTracked());
    }

    @Test
    void batchNormMomentumIsTheWeightOfTheNewBatch() {
        GradientHarness h = handBatch(new LayerSpec.BatchNorm(1e-5f, 0.3f));
        h.net.forward(3, true);
        assertArrayEquals(new float[] {0.6f, 0.6f}, DenseTest.slice(h.a, tensor(h, "0.running_mean").offset(), 2), 1e-6f);
        assertArrayEquals(new float[] {1.0f, 0.7f + 3.6f}, DenseTest.slice(h.a, tensor(h, "0.running_var").offset(), 2), 1e-5f);
    }

    @Test
    void batchNormTrainingGradientsOfInputGammaAndBetaMatchFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).batchNorm().tanh().dense(3).build();
        for (int batch : new int[] {2, 3, 5}) {
            GradientHarness h = new GradientHarness(spec, batch, LossKind.MSE, 32L).randomize(32 + batch, 1.0);
            h.run(true);
            h.assertAll(true, 1);
        }
    }

    @Test
    void batchNormInEvaluationUsesRunningStatisticsAndLeavesThemAlone() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).batchNorm().tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 33L).randomize(33, 1.0);
        Map<String, double[]> before = h.state();
        h.run(false);
        Map<String, double[]> after = h.state();
        assertArrayEquals(before.get("1.running_mean"), after.get("1.running_mean"));
        assertArrayEquals(before.get("1.running_var"), after.get("1.running_var"));
        assertEquals(0, ((BatchNorm1d) h.net.layers().get(1)).batchesTracked());
        h.assertAll(false, 1); // the reference normalizes with the (random) running statistics
    }

    @Test
    void frozenBatchNormUsesRunningStatisticsInTrainingAndDoesNotUpdateThem() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).batchNorm().frozen().tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 34L).randomize(34, 1.0);
        assertEquals(Parameter.Kind.FROZEN, tensor(h, "1.weight").kind());
        assertEquals(-1, tensor(h, "1.bias").gradOffset());
        Map<String, double[]> before = h.state();
        h.run(true);
        assertArrayEquals(before.get("1.running_mean"), h.state().get("1.running_mean"));
        assertArrayEquals(before.get("1.running_var"), h.state().get("1.running_var"));
        assertEquals(0, ((BatchNorm1d) h.net.layers().get(1)).batchesTracked());
        h.assertAll(true, 1); // the reference treats a frozen batchnorm as using running statistics
    }

    @Test
    void batchNormAsTheFirstLayerTrainsGammaAndBetaWithoutAnInputGradient() {
        GradientHarness h = new GradientHarness(NetworkSpec.builder(7).batchNorm().dense(3).build(), 5, LossKind.MSE, 36L)
                .randomize(36, 2.0);
        h.run(true);
        assertEquals(-1, h.net.layers().get(0).dx);
        h.assertAll(true, -1);
    }

    @Test
    void batchNormOverASingleRowOutputsBetaAndLeavesRunningStatisticsAlone() {
        GradientHarness h = new GradientHarness(NetworkSpec.builder(5).dense(7).batchNorm().build(), 1, LossKind.MSE, 35L)
                .randomize(35, 1.0);
        Map<String, double[]> before = h.state();
        h.run(true);
        double[] beta = before.get("1.bias");
        for (int j = 0; j < 7; j++) assertEquals(beta[j], h.a[h.net.outputOffset() + j], 1e-6);
        assertArrayEquals(before.get("1.running_var"), h.state().get("1.running_var"));
        assertEquals(0, ((BatchNorm1d) h.net.layers().get(1)).batchesTracked());
        h.assertAll(true, 1); // zero input gradient: the output does not depend on the input
    }
}
