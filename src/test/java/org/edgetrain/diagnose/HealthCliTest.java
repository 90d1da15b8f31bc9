package org.edgetrain.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgetrain.cli.CliRunner;
import org.edgetrain.nn.CustomLayers;
import org.edgetrain.nn.WrongGradientDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way backprop fails, reproduced through the CLI where a user meets it, and the same setup fixed. */
class HealthCliTest {
    @TempDir
    Path tmp;

    private Path config(String name, String text) throws IOException {
        Path p = tmp.resolve(name + ".conf");
        Files.writeString(p, text);
        return p;
    }

    private CliRunner train(Path config) {
        return CliRunner.run("train", "--config", config.toString(), "--train", "data/digits-train.csv", "--val", "data/digits-test.csv",
                "--out", tmp.resolve("m.etm").toString(), "--kernels", "java");
    }

    /** The final validation accuracy: {@code validation loss 0.30  acc 0.9194}. */
    private static double valAcc(CliRunner r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^validation loss \\S+\\s+acc (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        return Double.parseDouble(m.group(1));
    }

    private static String deep(String layer, String activation) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) sb.append(layer).append(' ').append(activation).append(' ');
        return sb.append("dense(10)").toString();
    }

    @Test
    void deepSigmoidWithSmallInitVanishesAndLeakyReluWithHeDoesNot() throws IOException {
        CliRunner sigmoid = train(config("sigmoid", "[model]\nlayers = " + deep("dense(32, gain=0.1)", "sigmoid") + "\n[train]\nepochs = 5\n"));
        assertEquals(0, sigmoid.exitCode(), sigmoid.err());
        assertTrue(sigmoid.out().contains("health: PROBLEM vanishing gradients (layer 0)"), sigmoid.out());
        assertTrue(valAcc(sigmoid) < 0.3, "the sigmoid net should not learn: " + sigmoid.out());

        CliRunner leaky = train(config("leaky", "[model]\nlayers = " + deep("dense(32)", "leaky_relu") + "\n[train]\nepochs = 5\n"));
        assertEquals(0, leaky.exitCode(), leaky.err());
        assertFalse(leaky.out().contains("vanishing"), leaky.out());
        assertFalse(leaky.out().contains("health: PROBLEM"), leaky.out());
        assertTrue(valAcc(leaky) > 0.85, "the LeakyReLU net should train: " + leaky.out());
    }

    @Test
    void reluWithALargeRateDiesAndLeakyReluDoesNot() throws IOException {
        String common = "hidden = 128, 64\noutputs = 10\n[optimizer]\nlr = 0.5\n[train]\nepochs = 15\n";
        CliRunner relu = train(config("relu", "[model]\nactivation = relu\n" + common));
        assertEquals(0, relu.exitCode(), relu.err());
        assertTrue(relu.out().contains("health: PROBLEM dead units (layer"), relu.out());

        CliRunner leaky = train(config("leaky", "[model]\nactivation = leaky_relu\n" + common));
        assertEquals(0, leaky.exitCode(), leaky.err());
        assertFalse(leaky.out().contains("dead units"), leaky.out());
        // the LeakyReLU net survives lr 0.5 but its loss climbs: the rate is what is wrong there
        assertTrue(leaky.out().contains("health: PROBLEM learning rate too high"), leaky.out());
    }

    @Test
    void tanhWithLargeWeightsSaturatesAndWithXavierDoesNot() throws IOException {
        CliRunner large = train(config("large", "[model]\nlayers = dense(64, gain=6) tanh dense(10)\n[train]\nepochs = 5\n"));
        assertEquals(0, large.exitCode(), large.err());
        assertTrue(large.out().contains("health: PROBLEM saturated units (layer 1)"), large.out());
        CliRunner xavier = train(config("xavier", "[model]\nlayers = dense(64) tanh dense(10)\n[train]\nepochs = 5\n"));
        assertFalse(xavier.out().contains("saturated"), xavier.out());
        assertFalse(xavier.out().contains("health: PROBLEM"), xavier.out());
    }

    @Test
    void explosionWithoutClippingIsRolledBackAndTrainingEndsFinite() throws IOException {
        String common = "[model]\nlayers = dense(128, gain=4) leaky_relu dense(64, gain=4) leaky_relu dense(10, gain=4)\n"
                + "[optimizer]\nlr = 0.1\n[health]\nguard = true\n[train]\nepochs = 10\n";
        CliRunner unclipped = train(config("unclipped", common + "[clip]\nnorm = 0\n"));
        assertEquals(0, unclipped.exitCode(), unclipped.err());
        assertTrue(unclipped.out().contains("health: PROBLEM exploding gradients (guard)"), unclipped.out());
        assertTrue(unclipped.out().contains("restored the state of step"), unclipped.out());
        double loss = unclipped.number("validation loss");
        assertTrue(Double.isFinite(loss), unclipped.out());
        assertTrue(valAcc(unclipped) > 0.8, "training continues after the rollback: " + unclipped.out());

        CliRunner clipped = train(config("clipped", common + "[clip]\nnorm = 5\n"));
        assertEquals(0, clipped.exitCode(), clipped.err());
        assertFalse(clipped.out().contains("guard"), clipped.out());
        assertFalse(clipped.out().contains("rollbacks"), clipped.out());
    }

    @Test
    void doctorFindsMseOnClassLabelsAndSaysWhatToUse() throws IOException {
        Path c = config("mse", "[model]\nhidden = 32\noutputs = 1\n[loss]\ntype = mse\n[train]\nepochs = 5\n");
        CliRunner doctor = CliRunner.run("doctor", "--config", c.toString(), "--data", "data/digits-train.csv", "--kernels", "java");
        assertEquals(1, doctor.exitCode(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("PROBLEM loss does not fit the task (loss mse)"), doctor.out());
        assertTrue(doctor.out().contains("fix: loss.type = cross_entropy with one output per class (model.outputs = 10"), doctor.out());
    }

    @Test
    void doctorFindsANanColumnWithItsLineAndFix() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("data/digits-train.csv")));
        int col = List.of(lines.get(0).split(",")).indexOf("pixel20");
        for (int r = 5; r < lines.size(); r += 7) {
            String[] cells = lines.get(r).split(",", -1);
            cells[col] = r % 2 == 0 ? "" : "NaN";
            lines.set(r, String.join(",", cells));
        }
        Path data = tmp.resolve("nan.csv");
        Files.write(data, lines);
        CliRunner doctor = CliRunner.run("doctor", "--config", "examples/digits.conf", "--data", data.toString(), "--kernels", "java");
        assertEquals(1, doctor.exitCode(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("PROBLEM data (column 'pixel20'): "), doctor.out());
        assertTrue(doctor.out().contains("missing (empty or NaN) of 1437 values, first at line 6"), doctor.out());
        assertTrue(doctor.out().contains("fix: fill them"), doctor.out());
        // the rest of the checklist still runs on the usable rows
        assertTrue(doctor.out().contains("usable rows"), doctor.out());

        CliRunner training = CliRunner.run("train", "--config", "examples/digits.conf", "--train", data.toString(), "--out",
                tmp.resolve("x.etm").toString());
        assertEquals(2, training.exitCode(), "train refuses the file with a pointer to doctor: " + training.err());
        assertTrue(training.err().contains("edgetrain doctor"), training.err());
    }

    @Test
    void doctorCallsTheExampleHealthy() {
        CliRunner doctor = CliRunner.run("doctor", "--config", "examples/digits.conf", "--data", "data/digits-train.csv", "--kernels", "java");
        assertEquals(0, doctor.exitCode(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("verdict: healthy"), doctor.out());
        assertTrue(doctor.out().contains("suggested lr"), doctor.out());
    }

    @Test
    void gradientCheckCatchesAWrongBackwardAndNamesTheLayer() throws IOException {
        WrongGradientDense.register();
        try {
            Path c = config("wrong", "[model]\nlayers = dense(32) leaky_relu " + WrongGradientDense.KIND + "(16) leaky_relu dense(10)\n");
            CliRunner doctor = CliRunner.run("doctor", "--config", c.toString(), "--data", "data/digits-train.csv", "--kernels", "java");
            assertEquals(1, doctor.exitCode(), doctor.out() + doctor.err());
            assertTrue(doctor.out().contains("PROBLEM gradient check (layer 2 (" + WrongGradientDense.KIND + " 32→16))"), doctor.out());
            assertTrue(doctor.out().contains("2.weight"), doctor.out());
            assertFalse(doctor.out().contains("layer 0 (dense"), "the correct layers pass: " + doctor.out());

            Path ok = config("right", "[model]\nlayers = dense(32) leaky_relu dense(16) leaky_relu dense(10)\n");
            CliRunner healthy = CliRunner.run("doctor", "--config", ok.toString(), "--data", "data/digits-train.csv", "--kernels", "java");
            assertFalse(healthy.out().contains("PROBLEM gradient check"), healthy.out());
        } finally {
            CustomLayers.unregister(WrongGradientDense.KIND);
        }
    }
}
