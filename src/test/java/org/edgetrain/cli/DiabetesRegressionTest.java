package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-show of issue 17: on scikit-learn's diabetes data (shipped by Debian's python3-sklearn), edgetrain with
 * standardized features and targets, one hidden layer of 32 and the default optimizer reaches scikit-learn's
 * MLPRegressor R² on the same split, both averaged over five seeds. Needs /usr/bin/python3 with sklearn: under CI=true
 * (where .ci/run installs it) its absence fails the test.
 */
class DiabetesRegressionTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void standardizedTargetsReachScikitLearnsMlpRegressorOnDiabetes() throws Exception {
        double sklearn = sklearnR2();
        Path train = dir.resolve("diabetes-train.csv"), test = dir.resolve("diabetes-test.csv");
        double sum = 0;
        StringBuilder each = new StringBuilder();
        for (int seed = 1; seed <= 5; seed++) {
            Path model = dir.resolve("diabetes-" + seed + ".etm");
            CliRunner t = CliRunner.run("train", "--config", "examples/diabetes.conf", "--train", train.toString(), "--val", test.toString(),
                    "--out", model.toString(), "--seed", Integer.toString(seed), "--kernels", "java");
            assertEquals(0, t.exitCode(), t.out() + t.err());
            assertTrue(t.out().contains("targets standardized (data.standardize_targets): target mean 153.7 std 77.95"), t.out());
            CliRunner e = CliRunner.run("eval", "--model", model.toString(), "--data", test.toString(), "--kernels", "java");
            assertEquals(0, e.exitCode(), e.out() + e.err());
            double r2 = e.number("r2");
            // eval reports in the target's units: an MAE near 40 (of values 25..346), not near 0.5 (standardized)
            assertTrue(e.out().matches("(?s).*mae [3-5][0-9]\\.\\d+.*"), e.out());
            sum += r2;
            each.append(String.format(Locale.ROOT, " %.4f", r2));
        }
        double ours = sum / 5;
        System.out.printf(Locale.ROOT, "diabetes R²: edgetrain %.4f (%s), scikit-learn MLPRegressor %.4f%n", ours, each.toString().strip(), sklearn);
        assertTrue(ours >= sklearn, String.format(Locale.ROOT, "edgetrain R² %.4f (%s) below scikit-learn's %.4f", ours, each, sklearn));
    }

    /** Runs scripts/sklearn-diabetes.py: writes the split into {@link #dir}, returns sklearn's mean R². */
    private double sklearnR2() throws IOException, InterruptedException {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean available = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import sklearn")
                .redirectErrorStream(true).start().waitFor() == 0;
        if (!available) {
            if (ci) fail("/usr/bin/python3 with scikit-learn is missing: .ci/run installs python3-sklearn");
            Assumptions.abort("/usr/bin/python3 with scikit-learn is not installed (apt-get install python3-sklearn)");
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "scripts/sklearn-diabetes.py", dir.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("scripts/sklearn-diabetes.py did not finish in 10 minutes");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        for (String line : out.split("\n")) if (line.startsWith("sklearn_r2 ")) return Double.parseDouble(line.split(" ")[1]);
        throw new AssertionError("no sklearn_r2 line in:\n" + out);
    }
}
