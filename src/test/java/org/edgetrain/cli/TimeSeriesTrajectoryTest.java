package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.StateDict;
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
        new TrajectoryFixture(DIR, name).cliTrainingEndsAtPytorchWeights(data(name), tmp);
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
        TrajectoryFixture fixture = new TrajectoryFixture(DIR, name);
        RunConfig cfg = RunConfig.load(fixture.file(".conf"));
        TrainingData data = TrainingData.prepare(cfg, data(name), null, null);
        Trainer t = new Trainer(data.network(), cfg.training(), kernels);
        StateDict.load(t.network(), Safetensors.read(fixture.file("-init.safetensors")).tensors(), name);
        fixture.followLosses(t, data, cfg.training().epochs(), name + " (" + kernels.name() + ")");
    }
}
