package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixed-point training through the CLI on digits with the README's example model (64-128-64-10, LeakyReLU, dropout),
 * same seed and config, plain SGD at lr 1e-3, 60 epochs: int16 with stochastic rounding lands within 1.0 point of
 * fp32 (measured: fp32 0.8778, stochastic 0.8750, nearest 0.8667). The model file it writes holds dequantized fp32
 * weights that {@code eval} reads like any other.
 */
class FixedPointDigitsTest {
    static final String CONFIG = """
            [model]
            layers = dense(128) leaky_relu dropout(0.1) dense(64) leaky_relu dense(10)
            [optimizer]
            type = sgd
            lr = 0.001
            [train]
            batch = 32
            epochs = 60
            seed = 1
            """;
    static final Pattern VALIDATION = Pattern.compile("validation loss [0-9.]+  acc ([0-9.]+)");

    @TempDir
    static Path tmp;
    static double fp32, stochastic, nearest;
    static CliRunner fixedRun;

    @BeforeAll
    static void train() throws Exception {
        fp32 = accuracy(train("fp32", ""));
        fixedRun = train("stochastic", "[engine]\nprecision = fixed\n");
        stochastic = accuracy(fixedRun);
        nearest = accuracy(train("nearest", "[engine]\nprecision = fixed\nrounding = nearest\n"));
    }

    static CliRunner train(String name, String engine) throws Exception {
        return trainText(name, CONFIG + engine);
    }

    static CliRunner trainText(String name, String config) throws Exception {
        Path cfg = tmp.resolve(name + ".conf");
        Files.writeString(cfg, config);
        CliRunner r = CliRunner.run("train", "--config", cfg.toString(), "--train", "data/digits-train.csv", "--val", "data/digits-test.csv",
                "--out", tmp.resolve(name + ".etm").toString(), "--kernels", "java");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        return r;
    }

    static double accuracy(CliRunner r) {
        Matcher m = VALIDATION.matcher(r.out());
        assertTrue(m.find(), r.out());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void stochasticRoundingInt16IsWithinOnePointOfFp32AtSgdLr1e3() {
        assertTrue(Math.abs(stochastic - fp32) <= 0.010, "fp32 " + fp32 + ", fixed stochastic " + stochastic);
        assertTrue(fp32 >= 0.85, "fp32 should reach the issue's ~87 % here: " + fp32);
    }

    @Test
    void roundToNearestDoesNotBeatStochasticWithAdaptiveScales() {
        // with per-tensor adaptive scales the weights sit on the finest grid their range allows, so at lr 1e-3 nearest
        // loses only about a point here; FixedRoundingTest shows the collapse under a hand-set format
        assertTrue(nearest < stochastic, "nearest " + nearest + ", stochastic " + stochastic);
    }

    @Test
    void fixedRunReportsArenaRatioAndSaturationsAndWritesAnEvaluableModel() {
        assertTrue(fixedRun.out().contains("fixed point (int16, stochastic rounding)"), fixedRun.out());
        assertTrue(fixedRun.out().matches("(?s).*of fp32's [0-9,]+.*"), fixedRun.out());
        assertTrue(fixedRun.out().contains("saturations "), fixedRun.out());
        CliRunner eval = CliRunner.run("eval", "--model", tmp.resolve("stochastic.etm").toString(), "--data", "data/digits-test.csv");
        assertEquals(0, eval.exitCode(), eval.err());
        // the dequantized weights in fp32 inference classify like the int16 network did
        assertEquals(stochastic, eval.number("accuracy"), 0.01, eval.out());
    }

    @Test
    void planShowsTheFixedArenaAtMost60PercentOfFp32() throws Exception {
        Path cfg = tmp.resolve("plan.conf");
        Files.writeString(cfg, Files.readString(Path.of("examples/digits.conf")) + "[engine]\nprecision = fixed\n");
        for (String batch : new String[] {"1", "32"}) {
            CliRunner plan = CliRunner.run("plan", "--config", cfg.toString(), "--inputs", "64", "--batch", batch);
            assertEquals(0, plan.exitCode(), plan.err());
            Matcher m = Pattern.compile("fixed point: ([0-9,]+) bytes = ([0-9.]+) % of the fp32 arena").matcher(plan.out());
            assertTrue(m.find(), plan.out());
            assertTrue(Double.parseDouble(m.group(2)) <= 60.0, plan.out());
            assertTrue(plan.out().contains("weight [128, 64] int16"), plan.out());
        }
    }

    @Test
    void theExampleConfigInFixedPointLandsWithinOnePointOfFp32() throws Exception {
        String example = Files.readString(Path.of("examples/digits.conf"));
        double f = accuracy(trainText("example-fp32", example));
        CliRunner q = trainText("example-fixed", example + "\n[engine]\nprecision = fixed\n");
        double fixed = accuracy(q);
        assertTrue(Math.abs(fixed - f) <= 0.010, "examples/digits.conf: fp32 " + f + ", int16 " + fixed);
        assertTrue(f >= 0.95, "the example reaches its README accuracy in fp32: " + f);
        assertTrue(q.out().contains("(fixed point)"), "one train path, the int16 step underneath: " + q.out());
    }
}
