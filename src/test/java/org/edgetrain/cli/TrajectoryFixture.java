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
import org.edgetrain.data.TrainingData;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.TensorData;
import org.edgetrain.train.Trainer;

/**
 * A PyTorch trajectory fixture (scripts/reference/pytorch_trajectory.py and pytorch_timeseries.py write them):
 * {@code NAME.conf}, {@code NAME-init.safetensors} and {@code NAME-final.safetensors} (the weights before and after
 * PyTorch's run), {@code NAME-expected.txt} (a line {@code losses ...} with every step's loss, and for classifiers
 * {@code logits ...} lines). The comparisons both trajectory tests make.
 */
final class TrajectoryFixture {
    private final Path dir;
    private final String name;

    TrajectoryFixture(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    Path file(String suffix) {
        return dir.resolve(name + suffix);
    }

    /**
     * Trains through the CLI from PyTorch's initial weights on {@code data}, exports, and requires PyTorch's final
     * weights within 1e-5 + 1e-4·|w| (integer tensors exactly).
     */
    void cliTrainingEndsAtPytorchWeights(Path data, Path tmp) throws IOException {
        Path model = tmp.resolve(name + ".etm");
        Path exported = tmp.resolve(name + ".safetensors");
        CliRunner train = CliRunner.run("train", "--config", file(".conf").toString(), "--train", data.toString(),
                "--init-from", file("-init.safetensors").toString(), "--out", model.toString(), "--quiet");
        assertEquals(0, train.exitCode(), train.err());
        CliRunner export = CliRunner.run("export", "--model", model.toString(), "--out", exported.toString());
        assertEquals(0, export.exitCode(), export.err());

        Map<String, TensorData> expected = byName(Safetensors.read(file("-final.safetensors")).tensors());
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
                        name + ": " + e.name() + "[" + i + "]: PyTorch " + want + ", edgetrain " + got);
            }
        }
    }

    /** The rows of {@code NAME-expected.txt} that start with {@code key}, without it. */
    List<float[]> expected(String key) throws IOException {
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file("-expected.txt"))) {
            String[] f = line.split(" ");
            if (!f[0].equals(key)) continue;
            float[] row = new float[f.length - 1];
            for (int i = 1; i < f.length; i++) row[i - 1] = Float.parseFloat(f[i]);
            rows.add(row);
        }
        return rows;
    }

    /** Every step's loss PyTorch recorded, parsed as doubles (the file's decimal text, not rounded through float). */
    List<Double> losses() throws IOException {
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(file("-expected.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals("losses")) for (int i = 1; i < f.length; i++) losses.add(Double.parseDouble(f[i]));
        }
        return losses;
    }

    /**
     * Steps {@code t} over the training rows in order, batches of 32, for {@code epochs}, and requires each step's
     * loss within 1e-5 + 1e-5·|loss| of PyTorch's; then that the step counts agree.
     */
    void followLosses(Trainer t, TrainingData data, int epochs, String what) throws IOException {
        List<Double> losses = losses();
        int step = 0;
        int n = data.train().rows(), in = data.train().features(), tw = t.targetWidth();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < n; from += 32, step++) {
                int rows = Math.min(32, n - from);
                float loss = t.step(data.train().x(), from * in, data.train().y(), from * tw, rows);
                assertEquals(losses.get(step), loss, 1e-5 + 1e-5 * losses.get(step), what + ": loss at step " + step);
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
