package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCliTest {
    @TempDir
    Path tmp;

    /** The points of the named series' path. */
    private static int points(String svg, String series) {
        Matcher m = Pattern.compile("data-name=\"" + Pattern.quote(series) + "\"[^>]* d=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), series + " in " + svg);
        return m.group(1).isEmpty() ? 0 : m.group(1).split("[ML]").length - 1;
    }

    @Test
    void trainPlotWritesOnePointPerEpochForTrainingAndValidationLoss() throws Exception {
        Path svg = tmp.resolve("curves.svg");
        CliRunner r = CliRunner.run("train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv", "--val",
                "data/digits-test.csv", "--epochs", "3", "--kernels", "java", "--quiet", "--out", tmp.resolve("m.etm").toString(),
                "--plot", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        String s = Files.readString(svg);
        assertTrue(s.startsWith("<?xml") && s.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), s);
        assertEquals(3, points(s, "training loss"));
        assertEquals(3, points(s, "validation loss"));
    }

    @Test
    void doctorPlotWritesTheRangeTestCurveOnALogAxis() throws Exception {
        Path svg = tmp.resolve("range.svg");
        CliRunner r = CliRunner.run("doctor", "--config", "examples/digits.conf", "--data", "data/digits-train.csv", "--kernels", "java",
                "--plot", svg.toString());
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, r.err());
        String s = Files.readString(svg);
        assertTrue(s.contains("data-log-x=\"true\""), s);
        assertTrue(points(s, "smoothed loss") > 20, "one point per range-test step taken");
    }

    @Test
    void aPlotThatCannotBeWrittenIsBadInputNamingTheFile() {
        CliRunner r = CliRunner.run("train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv", "--epochs", "1",
                "--kernels", "java", "--quiet", "--out", tmp.resolve("m.etm").toString(), "--plot", tmp.resolve("no/such/dir/x.svg").toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("--plot: cannot write") && r.err().contains("x.svg"), r.err());
    }
}
