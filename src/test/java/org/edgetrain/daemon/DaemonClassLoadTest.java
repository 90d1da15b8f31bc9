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

    @TempDir
    Path tmp;

    @Test
    void theDefaultDaemonLoadsNoDigestProvider() throws Exception {
        Path out = tmp.resolve("classes.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--steps",
                "40", "--state-dir", tmp.resolve("state").toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text.substring(Math.max(0, text.length() - 2000)));
        assertTrue(text.contains("org.edgetrain.kernels.NativeLibrary "), "the run looked for the native library");
        for (String name : MUST_NOT_LOAD) assertFalse(text.contains(" " + name + " "), name + " loaded");
        assertTrue(text.contains(" org.edgetrain.log.Log "), "the prefix match sees loaded classes");
        for (String prefix : MUST_NOT_LOAD_PACKAGES) assertFalse(text.contains(" " + prefix), "a class of " + prefix + " loaded");
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
