package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.edgetrain.kernels.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's digits example trained with native kernels (and threads) reaches the accuracy it reaches in Java. */
class NativeTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void nativeKernelsReachTheJavaAccuracyOnDigits() {
        NativeLibrary.Result lib = NativeLibrary.load();
        if (System.getenv("CI") != null) assertTrue(lib.ok(), "CI builds the native library: " + lib.reason());
        assumeTrue(lib.ok(), "native library not available");
        double java = trainAndEvaluate("java", 1);
        double nativeOne = trainAndEvaluate("native", 1);
        double nativeThreads = trainAndEvaluate("native", 2);
        assertTrue(java >= 0.95 && nativeOne >= 0.95, "java " + java + ", native " + nativeOne);
        assertEquals(java, nativeOne, 0.015, "java and native accuracy (within 5 of 360 test images)");
        assertEquals(nativeOne, nativeThreads, 0.0, "threads split by output rows: identical results");
    }

    private double trainAndEvaluate(String kernels, int threads) {
        Path model = tmp.resolve(kernels + threads + ".etm");
        CliRunner train = CliRunner.run("train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv", "--out",
                model.toString(), "--kernels", kernels, "--threads", Integer.toString(threads), "--quiet");
        assertEquals(0, train.exitCode(), train.err());
        CliRunner eval = CliRunner.run("eval", "--model", model.toString(), "--data", "data/digits-test.csv", "--kernels", kernels);
        assertEquals(0, eval.exitCode(), eval.err());
        return eval.number("accuracy");
    }
}
