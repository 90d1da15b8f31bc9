package org.edgetrain.diagnose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgetrain.fixed.Rounding;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The doctor's int16 gradient check passes the fixed-point layers on every loss (int16 against fp32, same weights). */
class FixedGradientCheckTest {
    @ParameterizedTest
    @EnumSource(LossKind.class)
    void int16GradientsAgreeWithFp32OnTheSameWeights(LossKind loss) {
        Rng r = new Rng(5);
        int rows = 8, classes = 3;
        NetworkSpec net = NetworkSpec.builder(6).dense(12).leakyRelu().dropout(0.2f).dense(12).relu().dense(classes).build();
        int tw = loss == LossKind.CROSS_ENTROPY ? 1 : classes;
        float[] x = new float[rows * 6], y = new float[rows * tw];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = loss == LossKind.CROSS_ENTROPY ? r.nextInt(classes) : loss == LossKind.BCE ? r.nextInt(2) : (float) r.nextGaussian();
        List<String> targets = tw == 1 ? List.of("label") : List.of("t0", "t1", "t2");
        Dataset d = new Dataset("synthetic", List.of("a", "b", "c", "d", "e", "f"), targets, x, y, rows);
        TrainingSpec spec = TrainingSpec.defaults(loss).withOptimizer(OptimizerSpec.sgd(0.01f));
        List<GradientCheck.Result> results = FixedGradientCheck.run(net, spec, Rounding.STOCHASTIC, d, rows);
        assertFalse(results.isEmpty());
        for (GradientCheck.Result res : results) {
            assertTrue(res.passed(), loss + ": " + FixedGradientCheck.line(res));
            assertTrue(res.skipped() || res.error() < 0.05, loss + ": " + FixedGradientCheck.line(res));
        }
    }

    /**
     * The same check over the int16 time layers: conv1d (same, causal with dilation, stride), max, average and global
     * pooling, upsampling and flatten, 12 steps × 2 channels, every loss: each conv weight and bias gradient agrees.
     */
    @ParameterizedTest
    @EnumSource(LossKind.class)
    void int16TimeLayerGradientsAgreeWithFp32OnTheSameWeights(LossKind loss) {
        int classes = 3;
        NetworkSpec pooled = NetworkSpec.builder(24).channels(2).conv1d(6, 3, 1, LayerSpec.Padding.SAME, 1).leakyRelu().maxPool1d(2)
                .conv1d(6, 3, 1, LayerSpec.Padding.CAUSAL, 2).avgPool1d(2).upsample1d(2).conv1d(4, 3).globalAvgPool1d().dense(classes).build();
        NetworkSpec flat = NetworkSpec.builder(24).channels(2).conv1d(4, 3, 2, LayerSpec.Padding.VALID, 1).relu().flatten().dense(classes).build();
        for (NetworkSpec net : List.of(pooled, flat)) {
            List<GradientCheck.Result> results = check(net, loss, classes);
            assertTrue(results.size() >= 4, results.toString());
            for (GradientCheck.Result res : results) {
                assertTrue(res.passed(), loss + " " + net.shortName() + ": " + FixedGradientCheck.line(res));
                assertTrue(res.skipped() || res.error() < 0.05, loss + " " + net.shortName() + ": " + FixedGradientCheck.line(res));
            }
        }
    }

    private static List<GradientCheck.Result> check(NetworkSpec net, LossKind loss, int classes) {
        Rng r = new Rng(5);
        int rows = 8, in = net.inputs();
        int tw = loss == LossKind.CROSS_ENTROPY ? 1 : classes;
        float[] x = new float[rows * in], y = new float[rows * tw];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = loss == LossKind.CROSS_ENTROPY ? r.nextInt(classes) : loss == LossKind.BCE ? r.nextInt(2) : (float) r.nextGaussian();
        List<String> features = new java.util.ArrayList<>();
        for (int i = 0; i < in; i++) features.add("f" + i);
        List<String> targets = tw == 1 ? List.of("label") : List.of("t0", "t1", "t2");
        Dataset d = new Dataset("synthetic", features, targets, x, y, rows);
        TrainingSpec spec = TrainingSpec.defaults(loss).withOptimizer(OptimizerSpec.sgd(0.01f));
        return FixedGradientCheck.run(net, spec, Rounding.STOCHASTIC, d, rows);
    }
}
