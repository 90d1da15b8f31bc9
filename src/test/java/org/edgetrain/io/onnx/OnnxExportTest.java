package org.edgetrain.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgetrain.cli.CliRunner;
import org.edgetrain.nn.LayerParser;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.CustomLayers;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.WrongGradientDense;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layer kind with an ONNX operator, exported through the CLI ({@code export --format onnx}) and run in ONNX
 * Runtime, agrees with {@code predict}'s computation (standardize, inference network, output activation, target scale)
 * within 1e-5.
 */
class OnnxExportTest {
    static final int INPUTS = 5, ROWS = 64;

    @TempDir
    Path dir;

    @Test
    void regressionWithDenseLeakyReluReluAndStandardizedTargetsMatchesPredict() throws Exception {
        check("dense(16) leaky_relu dense(12) relu dense(2)", LossKind.MSE, 2);
    }

    @Test
    void crossEntropyWithPreluBatchnormDropoutMatchesPredict() throws Exception {
        check("dense(16) prelu(per_unit, init=0.2) batchnorm dropout(0.3) dense(4)", LossKind.CROSS_ENTROPY, 4);
    }

    @Test
    void bceWithTanhResidualSigmoidAndNoBiasMatchesPredict() throws Exception {
        check("dense(8, bias=false) tanh residual(dense(8) sigmoid leaky_relu(0.2)) dense(3)", LossKind.BCE, 3);
    }

    @Test
    void explicitSoftmaxLayerAndSharedPreluMatchPredict() throws Exception {
        check("dense(8) prelu dense(6) tanh dense(3) softmax", LossKind.CROSS_ENTROPY, 3);
    }

    @Test
    void aLayerWithoutAnOnnxOperatorIsRefusedByName() throws Exception {
        WrongGradientDense.register();
        try {
            Path etm = train("dense(6) leaky_relu " + WrongGradientDense.KIND + "(4) dense(2)", LossKind.MSE, 2).file;
            CliRunner r = CliRunner.run("export", "--model", etm.toString(), "--out", dir.resolve("m.onnx").toString());
            assertEquals(2, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("layer 2 '" + WrongGradientDense.KIND + "(4)' has no ONNX operator"), r.err());
            assertTrue(!Files.exists(dir.resolve("m.onnx")), "nothing written");
        } finally {
            CustomLayers.unregister(WrongGradientDense.KIND);
        }
    }

    private record Trained(Path file, Model model) { }

    /** A few training steps on seeded data so weights, batch-norm statistics and both standardizations are not trivial. */
    private Trained train(String layers, LossKind loss, int outputs) throws Exception {
        NetworkSpec net = new NetworkSpec(INPUTS, LayerParser.parse(layers, "test"), Set.of());
        Trainer t = new Trainer(net, TrainingSpec.defaults(loss).withEpochs(3), new JavaKernels());
        Rng rng = Rng.stream(7, "onnx");
        float[] x = new float[ROWS * INPUTS];
        for (int i = 0; i < x.length; i++) x[i] = 3f + 2f * (float) rng.nextGaussian();
        int tw = loss == LossKind.CROSS_ENTROPY ? 1 : outputs;
        float[] y = new float[ROWS * tw];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < tw; j++) {
                float s = x[r * INPUTS + j] - x[r * INPUTS + j + 1];
                y[r * tw + j] = loss == LossKind.CROSS_ENTROPY ? Math.floorMod((int) (s * 2), outputs)
                        : loss == LossKind.BCE ? (s > 0 ? 1 : 0) : 100f + 40f * s;
            }
        }
        Standardizer fs = Standardizer.fit(x, ROWS, INPUTS);
        Standardizer ts = loss.isClassification() ? Standardizer.identity(outputs) : Standardizer.fit(y, ROWS, tw);
        float[] xs = x.clone(), ys = y.clone();
        fs.apply(xs, ROWS);
        if (!loss.isClassification()) ts.apply(ys, ROWS);
        List<String> features = List.of("a", "b", "c", "d", "e");
        List<String> targets = tw == 1 ? List.of("y") : java.util.stream.IntStream.range(0, tw).mapToObj(i -> "y" + i).toList();
        t.fit(new Dataset("test", features, targets, xs, ys, ROWS), null, r -> { });
        Model m = Model.of(t, features, targets, fs, Map.of()).withTargetStandardizer(ts);
        Path file = dir.resolve("m.etm");
        ModelFile.write(file, m);
        return new Trained(file, ModelFile.read(file));
    }

    private void check(String layers, LossKind loss, int outputs) throws Exception {
        Trained tr = train(layers, loss, outputs);
        Path onnx = dir.resolve("m.onnx");
        CliRunner r = CliRunner.run("export", "--model", tr.file.toString(), "--out", onnx.toString(), "--format", "onnx");
        assertEquals(0, r.exitCode(), r.out() + r.err());

        // fresh inputs in the CSV's units
        Rng rng = Rng.stream(11, "onnx-inputs");
        float[][] rows = new float[ROWS][INPUTS];
        float[] flat = new float[ROWS * INPUTS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < INPUTS; j++) flat[i * INPUTS + j] = rows[i][j] = 3f + 2.5f * (float) rng.nextGaussian();
        }
        // what PredictCommand computes
        float[] expected = new float[ROWS * outputs];
        tr.model.standardizer().apply(flat, ROWS);
        tr.model.inference(new JavaKernels(), 16, "test").predict(flat, ROWS, expected);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, rows);
             OrtSession.Result out = s.run(Map.of(OnnxExport.INPUT, in))) {
            float[][] got = (float[][]) out.get(OnnxExport.OUTPUT).orElseThrow().getValue();
            assertEquals(ROWS, got.length);
            double worst = 0;
            for (int i = 0; i < ROWS; i++) {
                assertEquals(outputs, got[i].length);
                for (int j = 0; j < outputs; j++) {
                    double e = expected[i * outputs + j];
                    // within 1e-5 on the network's scale: regression values are compared relative to the target std
                    // (tens here), which multiplies fp32 rounding of the standardized output
                    double scale = Math.max(1, Math.max(Math.abs(e), tr.model.targetStandardizer().std()[j]));
                    double err = Math.abs(got[i][j] - e) / scale;
                    worst = Math.max(worst, err);
                    assertTrue(err <= 1e-5, layers + ": row " + i + " output " + j + ": onnx " + got[i][j] + ", predict " + e);
                }
            }
            assertTrue(worst >= 0);
        }
    }
}
