package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgetrain.fuzz.Containers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.2/16.3: inputs that once ended in "internal error, please report" and a stack trace (or exit 0 on nothing)
 * get one line naming the file, line or key and exit code 2, through the command a user runs.
 */
class BadInputTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void aModel() {
        model = tmp.resolve("digits.etm");
        CliRunner r = CliRunner.run("train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv", "--epochs", "1",
                "--quiet", "--out", model.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    /** Exit 2, one line on stderr naming {@code where}, no stack trace. */
    static void oneLine(CliRunner r, String where) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(where), r.err());
    }

    @Test
    void aCsvWithAHeaderAndNoRowsIsBadInputForTrainAndEval() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.csv"), Files.readAllLines(Path.of("data/digits-test.csv")).get(0) + "\n");
        oneLine(CliRunner.run("train", "--config", "examples/digits.conf", "--train", empty.toString(), "--quiet",
                "--out", tmp.resolve("x.etm").toString()), empty + ": a header and no data rows");
        CliRunner eval = CliRunner.run("eval", "--model", model.toString(), "--data", empty.toString());
        oneLine(eval, empty + ": a header and no data rows");
        assertFalse(eval.out().contains("NaN"), eval.out());
    }

    @Test
    void deepResidualNestingIsRefusedInTheConfigAndInAModelFile() throws Exception {
        String deep = "residual(".repeat(3000) + "dense(4)" + ")".repeat(3000);
        Path conf = Files.writeString(tmp.resolve("deep.conf"), "[model]\nlayers = " + deep + " dense(10)\n[loss]\ntype = cross_entropy\n");
        oneLine(CliRunner.run("plan", "--config", conf.toString(), "--inputs", "64"), "residual( nested more than 16 deep");
        Path bad = tmp.resolve("deep.etm");
        Files.write(bad, Containers.editModelMeta(Files.readAllBytes(model),
                meta -> meta.replaceFirst("(?m)^layers=.*$", "layers=" + deep.replace("dense(4)", "dense(64)") + " dense(10)")));
        oneLine(CliRunner.run("eval", "--model", bad.toString(), "--data", "data/digits-test.csv"), bad + ": bad architecture in META");
    }

    @Test
    void aModelFileWithAValidCrcButBadMetadataIsOneLine() throws Exception {
        Path bad = tmp.resolve("delta.etm");
        Files.write(bad, Containers.editModelMeta(Files.readAllBytes(model), meta -> meta.replaceFirst("huber_delta=[^\n]*", "huber_delta=one")));
        oneLine(CliRunner.run("eval", "--model", bad.toString(), "--data", "data/digits-test.csv"), bad + ": ");
        Path wide = tmp.resolve("wide.etm");
        Files.write(wide, Containers.editModelMeta(Files.readAllBytes(model), meta -> meta.replaceFirst("inputs=64", "inputs=2147483647")));
        oneLine(CliRunner.run("eval", "--model", wide.toString(), "--data", "data/digits-test.csv"), "");
    }

    @Test
    void aNonFiniteNumberInASafetensorsHeaderIsOneLine() throws Exception {
        String header = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1e400],\"data_offsets\":[0,4]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1f);
        Path st = Files.write(tmp.resolve("inf.safetensors"), b.array());
        oneLine(CliRunner.run("train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv", "--init-from", st.toString(),
                "--epochs", "0", "--out", tmp.resolve("y.etm").toString()), st + ": tensor \"0.weight\" has ");
    }

    @Test
    void aNulInAPathIsTheKeysError() throws Exception {
        Path conf = Files.writeString(tmp.resolve("nul.conf"), "[source]\ntype = csv\npath = /tmp/a\u0000b.csv\ncolumns = a\n");
        oneLine(CliRunner.run("ingest", "--config", conf.toString()), "key source.path: found '/tmp/a\\x00b.csv'");
    }

    @Test
    void errorMessagesQuoteAndCutUntrustedBytes() throws Exception {
        byte[] binary = new byte[4000];
        new java.util.Random(3).nextBytes(binary);
        Path conf = tmp.resolve("binary.conf");
        Files.write(conf, binary);
        CliRunner r = CliRunner.run("plan", "--config", conf.toString(), "--inputs", "4");
        oneLine(r, conf.toString());
        assertTrue(r.err().length() < 400, r.err().length() + " characters: " + r.err());
        assertTrue(r.err().chars().noneMatch(c -> c < 0x20 && c != '\n'), "no control characters: " + r.err());
    }

    @Test
    void continuationLinesAreJoinedInLinearTime() throws Exception {
        // 400,000 continuation lines took 22.6 s before the error when each join copied the value so far
        StringBuilder sb = new StringBuilder("[model]\nlayers = dense(4)\n");
        for (int i = 0; i < 400_000; i++) sb.append("  leaky_relu\n");
        sb.append("[nonsense\n");
        Path conf = Files.writeString(tmp.resolve("long.conf"), sb);
        // the parse runs on this thread (CliRunner is in-process): its CPU time, which other load on the machine does
        // not stretch as it does wall-clock time (28 s of wall clock for a linear join once, with seven jobs on 2 cores)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime();
        oneLine(CliRunner.run("plan", "--config", conf.toString(), "--inputs", "4"), conf + ":400003: malformed section header");
        long cpu = threads.getCurrentThreadCpuTime() - t0;
        // not a benchmark: a quadratic join needs tens of CPU seconds, a linear one well under one
        assertTrue(cpu < 10_000_000_000L, "took " + cpu / 1e9 + " s of CPU");
    }

    @Test
    void aCsvSourceWithAnInvalidUtf8ByteInItsHeaderStartsAndCountsIt() throws Exception {
        Path csv = tmp.resolve("latin1.csv");
        byte[] header = "a,b,temp\u00b0C\n".getBytes(StandardCharsets.ISO_8859_1); // \u00b0 as one Latin-1 byte: invalid UTF-8
        Files.write(csv, concat(header, "1,2,3\n4,5,6\n7,8,9\n".getBytes(StandardCharsets.US_ASCII)));
        Path conf = Files.writeString(tmp.resolve("csv.conf"), "[source]\ntype = csv\npath = " + csv + "\ncolumns = a, b\n[preprocess]\nwindow = 1\nwarmup = 0\n"
                + "standardize = off\n[label]\nmode = reconstruct\n");
        CliRunner r = CliRunner.run("ingest", "--config", conf.toString(), "--samples", "3");
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }

    @Test
    void stdinWithNoInputOrAWrongHeaderExitsTwoLikeACsvFile() throws Exception {
        Path conf = Files.writeString(tmp.resolve("stdin.conf"), "[source]\ntype = stdin\ncolumns = a, b\n[preprocess]\nwindow = 1\nwarmup = 0\n"
                + "standardize = off\n[label]\nmode = reconstruct\n");
        oneLine(withStdin("", () -> CliRunner.run("ingest", "--config", conf.toString())), "stdin: no input");
        oneLine(withStdin("x,y\n1,2\n", () -> CliRunner.run("ingest", "--config", conf.toString())), "stdin:1: no column 'a'");
    }

    @Test
    void aCsvHeaderOver64KilobytesIsRefusedNotDropped() throws Exception {
        Path csv = Files.writeString(tmp.resolve("wide.csv"), "a,b," + "x".repeat(70_000) + "\n1,2,3\n");
        Path conf = Files.writeString(tmp.resolve("wide.conf"), "[source]\ntype = csv\npath = " + csv + "\ncolumns = a, b\n[preprocess]\nwindow = 1\n"
                + "warmup = 0\nstandardize = off\n[label]\nmode = reconstruct\n");
        oneLine(CliRunner.run("ingest", "--config", conf.toString()), csv + ":1: the header line is longer than 65536 bytes");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static synchronized CliRunner withStdin(String input, java.util.function.Supplier<CliRunner> run) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(saved);
        }
    }
}
