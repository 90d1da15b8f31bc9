package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.StateDict;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.train.Trainer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop: weights from PyTorch ({@code --init-from} safetensors), trained with a fixed data order, must follow
 * PyTorch's own trajectory. The expected files come from scripts/reference/pytorch_trajectory.py (torch 2.13, CPU):
 * the "sgd" case has BatchNorm1d, LeakyReLU, a residual block with tanh, momentum and weight decay over 90 steps; the
 * "adam" case has PReLU and Adam with weight decay.
 */
class TrajectoryTest {
    private static final Path DIR = Path.of("src/test/resources/trajectory");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void cliTrainingFromPytorchWeightsEndsAtPytorchWeights(String name) throws IOException {
        new TrajectoryFixture(DIR, name).cliTrainingEndsAtPytorchWeights(Path.of("data/digits-train.csv"), tmp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void everyStepLossAndTheEvalLogitsMatchPytorch(String name) throws IOException {
        TrajectoryFixture fixture = new TrajectoryFixture(DIR, name);
        List<float[]> logits = fixture.expected("logits");
        RunConfig cfg = RunConfig.load(fixture.file(".conf"));
        TrainingData data = TrainingData.prepare(cfg, Path.of("data/digits-train.csv"), Path.of("data/digits-test.csv"), null);
        Trainer t = new Trainer(data.network(), cfg.training(), new JavaKernels());
        StateDict.load(t.network(), Safetensors.read(fixture.file("-init.safetensors")).tensors(), name);
        fixture.followLosses(t, data, cfg.training().epochs(), name);
        int in = data.train().features();
        float[] probs = new float[8 * 10];
        float[] x = java.util.Arrays.copyOf(data.validation().x(), 8 * in);
        t.evaluator().predict(x, 8, probs);
        for (int r = 0; r < 8; r++) {
            double[] p = softmax(logits.get(r));
            for (int j = 0; j < 10; j++) assertEquals(p[j], probs[r * 10 + j], 1e-5, "test row " + r + " class " + j);
        }
    }

    private static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
