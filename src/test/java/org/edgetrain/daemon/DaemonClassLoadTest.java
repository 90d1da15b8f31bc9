package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes the default daemon must not load: each loaded class costs the board ~8 KB resident (its metadata, mirror and
 * strings, and its share of the class-data archive). These were cut on purpose (README, the daemon's memory); the test
 * names them so a change that brings them back fails here instead of showing up as megabytes on a Pi Zero 2 W.
 */
class DaemonClassLoadTest {
    /**
     * The JCA provider machinery (~50 classes): the native library's cached copy is compared byte for byte instead.
     * What tinylog 2.7 pulled in (~450 classes): java.lang.management for the start time, DecimalFormatSymbols and the
     * CLDR locale providers, java.time's formatter for {date}; org.edgetrain.log writes the timestamp by hand.
     */
    private static final List<String> MUST_NOT_LOAD = List.of("java.security.MessageDigest", "sun.security.jca.ProviderList",
            "sun.security.provider.SHA2", "java.lang.management.ManagementFactory", "java.text.DecimalFormatSymbols",
            "java.time.format.DateTimeFormatter");
    /** Packages none of whose classes may load: a name ending in a dot matches every class under it. */
    private static final List<String> MUST_NOT_LOAD_PACKAGES = List.of("org.tinylog.");

    /**
     * What the daemon's own code once loaded and no longer needs (README, the classes the default daemon loads): an
     * {@code InetAddress} for the default status address, a {@code Formatter} for the last line, a directory stream to
     * list checkpoints, the fleet API's task queue with the fleet off, every command (bench's kernels with them) and
     * every layer kind, not only the model's.
     */
    private static final List<String> NOR_THESE = List.of("java.net.InetAddress", "java.util.Formatter", "java.nio.file.DirectoryStream",
            "java.util.concurrent.LinkedBlockingQueue",
            "org.edgetrain.cli.BenchCommand", "org.edgetrain.cli.TrainCommand", "org.edgetrain.fixed.FixedKernels", "org.edgetrain.nn.LayerSpec$Gru",
            "org.edgetrain.nn.LayerSpec$Conv1d", "org.edgetrain.nn.Gru");

    @TempDir
    static Path tmp;
    private static String classes; // -Xlog:class+load of one default daemon run, shared by the tests below

    /**
     * The packaged service's daemon ({@code packaging/deb/edgetrain.conf}: the simulated sensor on its own thread) as a
     * child JVM logging each class it loads, with its periodic work brought forward as scripts/build-deb.sh records the
     * class list: log lines, held-out evaluation, checkpoints and their pruning every 50-100 steps instead of every
     * 1,000-5,000, so the classes of the steady state are judged too (the first log line once compiled a regex).
     */
    private static synchronized String defaultDaemonClasses() throws Exception {
        if (classes != null) return classes;
        String packaged = Files.readString(Path.of("packaging", "deb", "edgetrain.conf"));
        String config = packaged;
        for (String[] r : new String[][] {{"rate_hz = 100 ", "rate_hz = 2000 "}, {"checkpoint_every = 5000 ", "checkpoint_every = 100 "},
                {"log_every = 1000", "log_every = 50"}, {"eval_every = 1000", "eval_every = 50"}}) {
            assertTrue(config.contains("\n" + r[0]), "packaged config without '" + r[0] + "'");
            config = config.replace("\n" + r[0], "\n" + r[1]);
        }
        Path conf = tmp.resolve("daemon.conf");
        Files.writeString(conf, config);
        Path out = tmp.resolve("classes.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--config",
                conf.toString(), "--steps", "450", "--state-dir", tmp.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text.substring(Math.max(0, text.length() - 2000)));
        assertTrue(text.contains("org.edgetrain.kernels.NativeLibrary "), "the run looked for the native library");
        assertTrue(text.contains("org.edgetrain.daemon.CheckpointStore "), "the run listed its checkpoints");
        assertTrue(text.contains("org.edgetrain.ingest.SourceRunner "), "the source ran on its own thread");
        assertTrue(text.contains("org.edgetrain.daemon.ProcessMemory "), "the run wrote a step line");
        assertTrue(text.contains("org.edgetrain.train.Evaluator "), "the run evaluated");
        return classes = text;
    }

    @Test
    void theDefaultDaemonLoadsNoDigestProvider() throws Exception {
        String text = defaultDaemonClasses();
        for (String name : MUST_NOT_LOAD) assertFalse(text.contains(" " + name + " "), name + " loaded");
        assertTrue(text.contains(" org.edgetrain.log.Log "), "the prefix match sees loaded classes");
        for (String prefix : MUST_NOT_LOAD_PACKAGES) assertFalse(text.contains(" " + prefix), "a class of " + prefix + " loaded");
    }

    /**
     * No lambda or method reference of ours runs on the daemon's path: the first one bootstraps java.lang.invoke's
     * LambdaMetafactory, and with it ~150 classes (LambdaForms, the ASM that spins the proxies) the board keeps resident.
     */
    @Test
    void theDefaultDaemonRunsNoLambdaOfOurs() throws Exception {
        List<String> lambdas = new ArrayList<>();
        for (String line : defaultDaemonClasses().split("\n")) {
            int at = line.indexOf(" org.edgetrain.");
            if (at >= 0 && line.indexOf("$$Lambda", at) >= 0) lambdas.add(line.substring(at + 1).strip());
        }
        assertEquals(List.of(), lambdas, "lambda classes of ours on the default daemon's path");
    }

    /**
     * Neither regex (~50 classes) nor the lambda machinery (~150) nor streams (~55) load at all: the daemon's code scans
     * its config, names and sizes by hand and uses no lambda, and no JDK call it makes uses one either.
     */
    @Test
    void theDefaultDaemonCompilesNoRegexAndBootstrapsNoLambda() throws Exception {
        String text = defaultDaemonClasses();
        for (String name : List.of("java.util.regex.Pattern", "java.lang.invoke.LambdaMetafactory", "java.util.stream.Stream")) {
            assertFalse(text.contains(" " + name + " "), name + " loaded");
        }
    }

    @Test
    void theDefaultDaemonLoadsOnlyWhatItsConfigUses() throws Exception {
        String text = defaultDaemonClasses();
        for (String name : NOR_THESE) assertFalse(text.contains(" " + name + " "), name + " loaded");
    }

    /**
     * javac compiles {@code "a" + b} to an invokedynamic of StringConcatFactory unless told otherwise; its first call
     * spins ~100 method-handle classes. The build passes {@code -XDstringConcat=inline}: no class of ours may use it.
     */
    @Test
    void noClassOfOursConcatenatesThroughInvokedynamic() throws IOException {
        Path classes = Path.of(System.getProperty("user.dir"), "target", "classes", "org", "edgetrain");
        assertTrue(Files.isDirectory(classes), classes + " missing");
        byte[] needle = "java/lang/invoke/StringConcatFactory".getBytes(StandardCharsets.US_ASCII);
        List<String> offenders = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                seen++;
                if (contains(Files.readAllBytes(f), needle)) offenders.add(classes.relativize(f).toString());
            }
        }
        assertTrue(seen > 100, "only " + seen + " classes under " + classes);
        assertEquals(List.of(), offenders, "classes using invokedynamic string concatenation");
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
