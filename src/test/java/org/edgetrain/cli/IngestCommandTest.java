package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {
    @TempDir
    Path tmp;

    static final String SIM = """
            [source]
            type = sim
            rate_hz = 0
            channels = 2
            seed = 3
            anomaly_rate = 0.02
            [preprocess]
            outlier_k = 6
            standardize = frozen
            warmup = 50
            window = 8
            stride = 4
            [label]
            mode = forecast
            """;

    private Path write(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void printsRowsAndStatisticsOfTheSimulatedSensorDeterministically() throws Exception {
        Path conf = write("sim.conf", SIM);
        CliRunner a = CliRunner.run("ingest", "--config", conf.toString(), "--samples", "300");
        CliRunner b = CliRunner.run("ingest", "--config", conf.toString(), "--samples", "300");
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(a.out().startsWith("source sim: 2 channels (ch0, ch1), as fast as it gives samples; rows of 16 inputs and 2 targets (forecast)"), a.out());
        assertTrue(a.out().contains("row 3: x ["), a.out());
        assertEquals(300, a.number("samples"));
        assertEquals(a.out(), b.out());
    }

    @Test
    void readsACsvFileWithALabelColumnToItsEnd() throws Exception {
        StringBuilder csv = new StringBuilder("t,a,b,label\n");
        for (int i = 0; i < 40; i++) csv.append(i).append(',').append(i % 5).append(',').append(i % 3 == 0 ? "" : "2").append(',').append(i % 2).append('\n');
        csv.append("40,oops,2,1\n");
        Path data = write("log.csv", csv.toString());
        Path conf = write("csv.conf", "[source]\ntype = csv\npath = " + data + "\ncolumns = a, b\n[preprocess]\nwindow = 4\nwarmup = 0\n"
                + "standardize = off\n[label]\ncolumn = label\n");
        CliRunner r = CliRunner.run("ingest", "--config", conf.toString(), "--samples", "1000");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("rows of 8 inputs and 1 targets (column)"), r.out());
        assertEquals(40, r.number("samples"));
        assertTrue(r.out().contains("malformed_lines 1"), r.out());
        assertTrue(r.out().contains("missing_values 14"), r.out()); // every third b is empty: 0, 3, ..., 39
        assertTrue(r.out().contains("windows 10"), r.out());
    }

    @Test
    void withoutAConfigItRunsThePackagedSimulatedSensor() {
        CliRunner r = CliRunner.run("ingest", "--samples", "120", "--rows", "0"); // 100 Hz: a little over a second
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("source sim: 3 channels (ch0, ch1, ch2), 100 Hz; rows of 96 inputs and 96 targets (reconstruct)"), r.out());
        assertTrue(r.number("samples") >= 120, r.out());
    }

    @Test
    void aMissingCsvColumnFailsAtStartWithExitCode2() throws Exception {
        Path data = write("d.csv", "a,b\n1,2\n");
        Path conf = write("c.conf", "[source]\ntype = csv\npath = " + data + "\ncolumns = a, q\n");
        CliRunner r = CliRunner.run("ingest", "--config", conf.toString());
        assertEquals(2, r.exitCode());
        assertEquals("edgetrain ingest: " + data + ":1: no column 'q'; the header has: a, b\n", r.err());
    }

    /**
     * Nothing Pi4J-related loads unless a hardware source is configured: a JVM with Pi4J on its class path runs the
     * simulated sensor and lists every class it loads.
     */
    @Test
    void theSimulatedSensorLoadsNoPi4jClass() throws Exception {
        Class.forName("com.pi4j.Pi4J"); // it is on the class path
        Path conf = write("sim.conf", SIM);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                "org.edgetrain.cli.Main", "ingest", "--config", conf.toString(), "--samples", "200"));
        pb.redirectErrorStream(true);
        File log = tmp.resolve("classes.log").toFile();
        pb.redirectOutput(log);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the ingest process did not finish");
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out.length() > 4000 ? out.substring(out.length() - 4000) : out);
        assertTrue(out.contains("org.edgetrain.ingest.sim.SimulatedSensor"), "class loading was not logged");
        assertFalse(out.contains("com.pi4j"), "a Pi4J class was loaded");
        assertFalse(out.contains("org.edgetrain.ingest.sensors"), "a driver class was loaded");
    }
}
