package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgetrain.cli.CliRunner;
import org.edgetrain.io.ModelFile;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversion both ways through the CLI: an fp32 model (.etm) and its safetensors load into a fixed-point trainer
 * ({@code --init-from}, {@code --epochs 0}), and the fixed-point model comes back as fp32 weights within half a step
 * of each tensor's int16 grid; a fixed-point model exports to safetensors that fp32 training loads.
 */
class FixedConversionTest {
    @TempDir
    Path tmp;

    @Test
    void fp32WeightsRoundTripThroughFixedPointWithinHalfAGridStep() throws Exception {
        Path fp32Conf = tmp.resolve("fp32.conf"), fixedConf = tmp.resolve("fixed.conf");
        String model = "[model]\nlayers = dense(32) leaky_relu dense(10)\n[train]\nepochs = 3\n";
        Files.writeString(fp32Conf, model);
        Files.writeString(fixedConf, model + "[engine]\nprecision = fixed\n");
        Path fp32 = tmp.resolve("fp32.etm");
        CliRunner r = CliRunner.run("train", "--config", fp32Conf.toString(), "--train", "data/digits-train.csv", "--out", fp32.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path st = tmp.resolve("fp32.safetensors");
        assertEquals(0, CliRunner.run("export", "--model", fp32.toString(), "--out", st.toString()).exitCode());

        for (Path from : List.of(fp32, st)) {
            Path fixed = tmp.resolve("fixed-" + from.getFileName() + ".etm");
            r = CliRunner.run("train", "--config", fixedConf.toString(), "--train", "data/digits-train.csv", "--init-from", from.toString(),
                    "--epochs", "0", "--out", fixed.toString());
            assertEquals(0, r.exitCode(), r.err() + r.out());
            List<TensorData> before = ModelFile.read(fp32).tensors(), after = ModelFile.read(fixed).tensors();
            assertEquals(before.size(), after.size());
            for (int k = 0; k < before.size(); k++) {
                float[] b = before.get(k).floats(), a = after.get(k).floats();
                float max = 0;
                for (float v : b) max = Math.max(max, Math.abs(v));
                double step = Math.scalb(1.0, Math.getExponent(max) - 13); // the grid QFormat.fitReal picks: max in (¼, ½] of 2^15 steps
                for (int i = 0; i < b.length; i++) {
                    assertTrue(Math.abs(a[i] - b[i]) <= step / 2, before.get(k).name() + "[" + i + "]: " + b[i] + " → " + a[i]);
                }
            }
        }
    }

    @Test
    void aFixedPointModelExportsSafetensorsThatFp32TrainingLoads() throws Exception {
        Path conf = tmp.resolve("fixed.conf");
        Files.writeString(conf, "[model]\nlayers = dense(16) relu dense(10)\n[train]\nepochs = 2\n[engine]\nprecision = fixed\n");
        Path fixed = tmp.resolve("fixed.etm");
        assertEquals(0, CliRunner.run("train", "--config", conf.toString(), "--train", "data/digits-train.csv", "--out", fixed.toString()).exitCode());
        Path st = tmp.resolve("fixed.safetensors");
        CliRunner export = CliRunner.run("export", "--model", fixed.toString(), "--out", st.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertEquals(4, Safetensors.read(st).tensors().size());
        Path fp32Conf = tmp.resolve("fp32.conf");
        Files.writeString(fp32Conf, "[model]\nlayers = dense(16) relu dense(10)\n");
        CliRunner r = CliRunner.run("train", "--config", fp32Conf.toString(), "--train", "data/digits-train.csv", "--init-from", st.toString(),
                "--epochs", "0", "--out", tmp.resolve("back.etm").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ModelFile.read(fixed).tensors(), ModelFile.read(tmp.resolve("back.etm")).tensors());
    }

    @Test
    void fixedPrecisionRefusesWhatItCannotTrainNamingTheKey() throws Exception {
        Path conf = tmp.resolve("adam.conf");
        Files.writeString(conf, "[model]\nlayers = dense(16) tanh dense(10)\n[engine]\nprecision = fixed\n");
        CliRunner r = CliRunner.run("train", "--config", conf.toString(), "--train", "data/digits-train.csv");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(conf + ":4: key engine.precision: found 'fixed'; allowed: fixed only with layers dense"), r.err());
        assertTrue(r.err().contains("layer 1 (tanh)"), r.err());
        Files.writeString(conf, "[model]\nlayers = dense(10)\n[engine]\nrounding = nearest\n");
        r = CliRunner.run("train", "--config", conf.toString(), "--train", "data/digits-train.csv");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("key engine.rounding applies only with precision = fixed"), r.err());
        Files.writeString(conf, "[model]\nlayers = dense(10)\n[engine]\nprecision = int8\n");
        r = CliRunner.run("train", "--config", conf.toString(), "--train", "data/digits-train.csv");
        assertTrue(r.err().contains("key engine.precision: found 'int8'; allowed: fp32, fixed"), r.err());
    }
}
