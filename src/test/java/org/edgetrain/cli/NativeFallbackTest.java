package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's fallback, in a fresh JVM whose classpath has no native library (as on a platform the jar has no build
 * for): {@code auto} trains with Java kernels after one warning line naming the missing resource; {@code native}
 * refuses with exit code 2.
 */
class NativeFallbackTest {
    @TempDir
    Path tmp;

    @Test
    void missingLibraryFallsBackToJavaWithOneLineOrFailsWhenRequired() throws Exception {
        Path classes = tmp.resolve("classes");
        Path built = Path.of("target/classes");
        try (Stream<Path> all = Files.walk(built)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = built.relativize(p);
                if (rel.toString().startsWith("native")) continue; // the library is what this JVM must not find
                Path to = classes.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        List<String> cp = new ArrayList<>(List.of(classes.toString()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Process p = new ProcessBuilder(java, "-Djava.library.path=" + tmp, "-Dedgetrain.native.cache=" + tmp.resolve("cache"), "-cp",
                String.join(File.pathSeparator, cp), "org.edgetrain.cli.Main", "train", "--config", "examples/digits.conf",
                "--train", "data/digits-train.csv", "--epochs", "2", "--out", tmp.resolve("m.etm").toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        List<String> warnings = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, warnings.size(), err);
        assertTrue(warnings.get(0).startsWith("edgetrain WARN: native kernels unavailable, using Java kernels: the jar has no /native/"),
                warnings.get(0));
        assertTrue(out.contains("kernels java"), out);
        assertTrue(out.contains("epoch 2/2"), out);

        Process q = new ProcessBuilder(java, "-Djava.library.path=" + tmp, "-cp", String.join(File.pathSeparator, cp),
                "org.edgetrain.cli.Main", "train", "--config", "examples/digits.conf", "--train", "data/digits-train.csv",
                "--kernels", "native", "--out", tmp.resolve("n.etm").toString()).start();
        String qerr = new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        q.getInputStream().readAllBytes();
        assertEquals(2, q.waitFor(), qerr);
        assertTrue(qerr.contains("kernels = native, but the native library did not load: the jar has no /native/"), qerr);
    }
}
