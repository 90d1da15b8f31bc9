package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.StateDict;
import org.edgetrain.nn.TensorData;
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
        Path model = tmp.resolve(name + ".etm");
        Path exported = tmp.resolve(name + ".safetensors");
        CliRunner train = CliRunner.run("train", "--config", DIR.resolve(name + ".conf").toString(), "--train", "data/digits-train.csv",
                "--init-from", DIR.resolve(name + "-init.safetensors").toString(), "--out", model.toString(), "--quiet");
        assertEquals(0, train.exitCode(), train.err());
        CliRunner export = CliRunner.run("export", "--model", model.toString(), "--out", exported.toString());
        assertEquals(0, export.exitCode(), export.err());

        Map<String, TensorData> expected = byName(Safetensors.read(DIR.resolve(name + "-final.safetensors")).tensors());
        Map<String, TensorData> actual = byName(Safetensors.read(exported).tensors());
        assertEquals(expected.keySet(), actual.keySet());
        for (TensorData e : expected.values()) {
            TensorData a = actual.get(e.name());
            assertArrayEquals(e.shape(), a.shape(), e.name());
            if (!e.isFloat()) {
                assertArrayEquals(e.longs(), a.longs(), e.name());
                continue;
            }
            for (int i = 0; i < e.size(); i++) {
                float want = e.floats()[i], got = a.floats()[i];
                assertTrue(Math.abs(want - got) <= 1e-5 + 1e-4 * Math.abs(want),
                        e.name() + "[" + i + "]: PyTorch " + want + ", edgetrain " + got);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void everyStepLossAndTheEvalLogitsMatchPytorch(String name) throws IOException {
        List<Double> losses = new ArrayList<>();
        List<float[]> logits = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve(name + "-expected.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals("losses")) for (int i = 1; i < f.length; i++) losses.add(Double.parseDouble(f[i]));
            if (f[0].equals("logits")) {
                float[] row = new float[f.length - 1];
                for (int i = 1; i < f.length; i++) row[i - 1] = Float.parseFloat(f[i]);
                logits.add(row);
            }
        }
        RunConfig cfg = RunConfig.load(DIR.resolve(name + ".conf"));
        TrainingData data = TrainingData.prepare(cfg, Path.of("data/digits-train.csv"), Path.of("data/digits-test.csv"), null);
        Trainer t = new Trainer(data.network(), cfg.training(), new JavaKernels());
        StateDict.load(t.network(), Safetensors.read(DIR.resolve(name + "-init.safetensors")).tensors(), name);
        int step = 0;
        int n = data.train().rows(), in = data.train().features();
        for (int epoch = 0; epoch < cfg.training().epochs(); epoch++) {
            for (int from = 0; from < n; from += 32, step++) {
                int rows = Math.min(32, n - from);
                float loss = t.step(data.train().x(), from * in, data.train().y(), from, rows);
                assertEquals(losses.get(step), loss, 1e-5 + 1e-5 * losses.get(step), "loss at step " + step);
            }
        }
        assertEquals(losses.size(), step);
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

    private static Map<String, TensorData> byName(List<TensorData> ts) {
        Map<String, TensorData> m = new HashMap<>();
        for (TensorData t : ts) m.put(t.name(), t);
        return m;
    }
}
