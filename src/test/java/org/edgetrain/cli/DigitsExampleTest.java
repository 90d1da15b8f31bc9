package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's supervised demo, through the CLI: train the example config on digits, evaluate, predict. */
class DigitsExampleTest {
    @TempDir
    Path tmp;

    @Test
    void exampleConfigReachesAtLeast95PercentOnTheTestSplit() throws Exception {
        Path model = tmp.resolve("digits.etm");
        CliRunner train = CliRunner.run("train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv",
                "--val", "data/digits-test.csv", "--out", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("epoch 40/40"), train.out());
        assertTrue(train.out().contains("samples/s"), train.out());

        CliRunner eval = CliRunner.run("eval", "--model", model.toString(), "--data", "data/digits-test.csv");
        assertEquals(0, eval.exitCode(), eval.err());
        double accuracy = eval.number("accuracy");
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy + "\n" + eval.out());
        assertTrue(eval.out().contains("confusion matrix"), eval.out());

        Path preds = tmp.resolve("preds.csv");
        CliRunner predict = CliRunner.run("predict", "--model", model.toString(), "--data", "data/digits-test.csv", "--out", preds.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals(361, lines.size());
        assertTrue(lines.get(0).startsWith("prediction,p_0,"), lines.get(0));
        // the predictions file agrees with eval's accuracy
        List<String> truth = Files.readAllLines(Path.of("data/digits-test.csv"));
        int label = List.of(truth.get(0).split(",")).indexOf("label");
        int correct = 0;
        for (int r = 1; r <= 360; r++) {
            if (lines.get(r).split(",")[0].equals(truth.get(r).split(",")[label])) correct++;
        }
        assertEquals(accuracy, correct / 360.0, 1e-4);
    }

    @Test
    void demoTrainsFromTheFilesPackagedAsResources() {
        Path model = tmp.resolve("demo.etm");
        CliRunner demo = CliRunner.run("demo", "--out", model.toString(), "--quiet");
        assertEquals(0, demo.exitCode(), demo.err());
        assertTrue(demo.number("accuracy") >= 0.95, demo.out());
        assertTrue(Files.exists(model));
    }
}
