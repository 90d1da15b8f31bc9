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
import org.edgetrain.kernels.Kernels;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.train.Trainer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The time layers against PyTorch: weights from PyTorch, trained on the same windows in the same order, follow
 * PyTorch's trajectory. Fixtures from scripts/reference/pytorch_timeseries.py (torch 2.15, CPU, one thread): two
 * Conv1d + pooling + dense classifiers (same/causal padding, stride, dilation, max/avg/global pooling, upsample1d,
 * flatten) and two GRU forecasters (last step; every step + flatten), each with SGD-momentum or Adam, 20 steps.
 */
class TimeSeriesTrajectoryTest {
    private static final Path DIR = Path.of("src/test/resources/timeseries");

    @TempDir
    Path tmp;

    private static Path data(String name) {
        return DIR.resolve(name.startsWith("conv") ? "waves-train.csv" : "forecast-train.csv");
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv-momentum", "conv-adam", "gru-momentum", "gru-adam"})
    void cliTrainingFromPytorchWeightsEndsAtPytorchWeights(String name) throws IOException {
        Path model = tmp.resolve(name + ".etm");
        Path exported = tmp.resolve(name + ".safetensors");
        CliRunner train = CliRunner.run("train", "--config", DIR.resolve(name + ".conf").toString(), "--train", data(name).toString(),
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
            for (int i = 0; i < e.size(); i++) {
                float want = e.floats()[i], got = a.floats()[i];
                assertTrue(Math.abs(want - got) <= 1e-5 + 1e-4 * Math.abs(want),
                        name + ": " + e.name() + "[" + i + "]: PyTorch " + want + ", edgetrain " + got);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv-momentum", "conv-adam", "gru-momentum", "gru-adam"})
    void everyStepLossMatchesPytorchWithJavaKernels(String name) throws IOException {
        followTrajectory(name, new JavaKernels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv-momentum", "conv-adam", "gru-momentum", "gru-adam"})
    void everyStepLossMatchesPytorchWithNativeKernels(String name) throws IOException {
        org.edgetrain.kernels.NativeLibrary.Result lib = org.edgetrain.kernels.NativeLibrary.load();
        if (System.getenv("CI") != null) assertTrue(lib.ok(), "CI builds the native library, but it did not load: " + lib.reason());
        org.junit.jupiter.api.Assumptions.assumeTrue(lib.ok(), "native library not available here");
        followTrajectory(name, KernelLoader.load("native", 1));
    }

    private static void followTrajectory(String name, Kernels kernels) throws IOException {
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve(name + "-expected.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals("losses")) for (int i = 1; i < f.length; i++) losses.add(Double.parseDouble(f[i]));
        }
        RunConfig cfg = RunConfig.load(DIR.resolve(name + ".conf"));
        TrainingData data = TrainingData.prepare(cfg, data(name), null, null);
        Trainer t = new Trainer(data.network(), cfg.training(), kernels);
        StateDict.load(t.network(), Safetensors.read(DIR.resolve(name + "-init.safetensors")).tensors(), name);
        int step = 0;
        int n = data.train().rows(), in = data.train().features(), tw = t.targetWidth();
        for (int epoch = 0; epoch < cfg.training().epochs(); epoch++) {
            for (int from = 0; from < n; from += 32, step++) {
                int rows = Math.min(32, n - from);
                float loss = t.step(data.train().x(), from * in, data.train().y(), from * tw, rows);
                assertEquals(losses.get(step), loss, 1e-5 + 1e-5 * losses.get(step), name + " (" + kernels.name() + "): loss at step " + step);
            }
        }
        assertEquals(losses.size(), step);
    }

    private static Map<String, TensorData> byName(List<TensorData> ts) {
        Map<String, TensorData> m = new HashMap<>();
        for (TensorData t : ts) m.put(t.name(), t);
        return m;
    }
}
