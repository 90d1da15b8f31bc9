package org.edgetrain.diagnose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.Init;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gradient check passes every correct layer the engine has (so a failure means a wrong backward). */
class GradientCheckTest {
    static NetworkSpec net(String kind) {
        NetworkSpec.Builder b = NetworkSpec.builder(6).dense(12);
        switch (kind) {
            case "leaky_relu" -> b.leakyRelu();
            case "sigmoid" -> b.sigmoid();
            case "tanh" -> b.tanh();
            case "prelu" -> b.prelu();
            case "batchnorm" -> b.batchNorm().leakyRelu();
            case "dropout" -> b.leakyRelu().dropout(0.5f);
            case "residual" -> b.residual(new LayerSpec.Dense(12, Init.AUTO, true), new LayerSpec.Tanh());
            default -> throw new IllegalArgumentException(kind);
        }
        return b.dense(3).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"leaky_relu", "sigmoid", "tanh", "prelu", "batchnorm", "dropout", "residual"})
    void everyCorrectLayerPasses(String kind) {
        Rng r = new Rng(3);
        int rows = 8;
        float[] x = new float[rows * 6], y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = r.nextInt(3);
        Dataset d = new Dataset("synthetic", List.of("a", "b", "c", "d", "e", "f"), List.of("label"), x, y, rows);
        List<GradientCheck.Result> results = GradientCheck.run(net(kind), TrainingSpec.defaults(LossKind.CROSS_ENTROPY), d, rows);
        assertFalse(results.isEmpty());
        for (GradientCheck.Result res : results) {
            assertTrue(res.passed(), kind + ": " + res.line());
            assertTrue(res.skipped() || res.error() < 0.05, kind + ": " + res.line());
        }
    }
}
