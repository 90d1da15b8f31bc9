package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgetrain.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The messages of issue 17, each seen the way a user sees it: through the CLI. */
class MessagesCliTest {
    @TempDir
    Path dir;

    /** 20 feature columns f0..f19 and a continuous label 'target' last, 200 rows. */
    private Path wideRegressionCsv() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 20; j++) sb.append('f').append(j).append(',');
        sb.append("target\n");
        for (int r = 0; r < 200; r++) {
            double sum = 0;
            for (int j = 0; j < 20; j++) {
                double v = Math.sin(r * 0.37 + j * 1.3);
                sum += v * (j % 3);
                sb.append(String.format(Locale.ROOT, "%.4f,", v));
            }
            sb.append(String.format(Locale.ROOT, "%.3f%n", 150 + 40 * sum));
        }
        Path p = dir.resolve("wide.csv");
        Files.writeString(p, sb);
        return p;
    }

    private Path config(String text) throws IOException {
        Path p = dir.resolve("c" + text.hashCode() + ".conf");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void epochLinesNeverPrintNanGradNormWhenEpochsAreShorterThanTheSamplingInterval() throws Exception {
        // clip.norm 0: the norm is sampled every 16 steps; 200 rows at batch 64 are 4 steps an epoch
        Path c = config("[model]\nlayers = dense(8) leaky_relu dense(1)\n[loss]\ntype = mse\n[clip]\nnorm = 0\n[train]\nbatch = 64\nepochs = 6\n"
                + "[data]\nlabel = target\n");
        CliRunner r = CliRunner.run("train", "--config", c.toString(), "--train", wideRegressionCsv().toString(), "--out",
                dir.resolve("m.etm").toString(), "--kernels", "java");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertFalse(r.out().contains("NaN"), r.out());
        assertTrue(r.out().contains("grad_norm "), "epochs with a measurement print it: " + r.out());
    }

    @Test
    void missingLabelColumnShowsTheLastColumnsAndTheNearestName() throws Exception {
        Path c = config("[model]\nlayers = dense(8) leaky_relu dense(1)\n[loss]\ntype = mse\n[data]\nlabel = targte\n");
        CliRunner r = CliRunner.run("train", "--config", c.toString(), "--train", wideRegressionCsv().toString(), "--out",
                dir.resolve("m.etm").toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("no label column 'targte'; did you mean 'target'? the header has: f0, f1, f2, f3, f4, f5, f6, f7, "
                + "… f18, f19, target (21 columns)"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void crossEntropyWithOneOutputAndContinuousLabelSuggestsMse() throws Exception {
        Path c = config("[model]\nlayers = dense(8) leaky_relu dense(1)\n[loss]\ntype = cross_entropy\n[data]\nlabel = target\n");
        CliRunner r = CliRunner.run("train", "--config", c.toString(), "--train", wideRegressionCsv().toString(), "--out",
                dir.resolve("m.etm").toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("the label 'target' holds numbers such as"), r.err());
        assertTrue(r.err().contains("to predict a number use loss.type = mse"), r.err());
    }

    @Test
    void unknownLayerSuggestsTheNearestKnownOne() throws Exception {
        Path c = config("[model]\nlayers = dense(8) lekay_relu dense(10)\n");
        CliRunner r = CliRunner.run("train", "--config", c.toString(), "--train", "data/digits-train.csv", "--out",
                dir.resolve("m.etm").toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unknown layer 'lekay_relu' (did you mean leaky_relu?)"), r.err());
        CliRunner far = CliRunner.run("plan", "--config", config("[model]\nlayers = dense(8) transformer dense(10)\n").toString());
        assertEquals(2, far.exitCode(), far.out() + far.err());
        assertFalse(far.err().contains("did you mean"), "no guess for a name that is not a typo: " + far.err());
    }

    @Test
    void doctorSaysWhenRegressionTargetsAreFarFromUnitScale() throws Exception {
        Path data = wideRegressionCsv(); // target around 150, std in the tens
        Path off = config("[model]\nlayers = dense(8) leaky_relu dense(1)\n[loss]\ntype = mse\n[data]\nlabel = target\nstandardize_targets = false\n");
        CliRunner r = CliRunner.run("doctor", "--config", off.toString(), "--data", data.toString(), "--kernels", "java");
        assertEquals(1, r.exitCode(), "a problem: " + r.out() + r.err());
        assertTrue(r.out().contains("PROBLEM data (column 'target'): target mean 149.3, std 29.61"), r.out());
        assertTrue(r.out().contains("far from unit scale") && r.out().contains("fix: data.standardize_targets = true"), r.out());

        Path on = config("[model]\nlayers = dense(8) leaky_relu dense(1)\n[loss]\ntype = mse\n[data]\nlabel = target\n");
        CliRunner d = CliRunner.run("doctor", "--config", on.toString(), "--data", data.toString(), "--kernels", "java");
        assertTrue(d.out().contains("note data (column 'target'): target mean 149.3, std 29.61"), d.out());
        assertTrue(d.out().contains("training standardizes it (data.standardize_targets)"), d.out());
        assertFalse(d.out().contains("PROBLEM data (column 'target')"), d.out());
    }

    @Test
    void theReadmeConfigReferenceListsEveryTrainingKey() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Map.Entry<String, Set<String>> e : RunConfig.KEYS.entrySet()) {
            if (!Set.of("model", "loss", "optimizer", "schedule", "clip", "train", "data", "engine", "health").contains(e.getKey())) continue;
            for (String k : e.getValue()) {
                String key = e.getKey() + "." + k;
                // a table row names it in full, or after its section's first key (`optimizer.beta1`, `beta2`)
                boolean listed = readme.lines().anyMatch(l -> l.startsWith("| `" + e.getKey() + ".")
                        && (l.contains("`" + key + "`") || l.contains(", `" + k + "`")));
                assertTrue(listed, "README config reference lacks " + key);
            }
        }
    }
}
