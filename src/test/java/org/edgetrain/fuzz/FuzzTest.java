package org.edgetrain.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.3: the fuzz harness in the test suite. One child JVM with the service's options (-Xss256k, a 256 MB heap)
 * runs {@link FuzzMain} over every parser: the kept regression inputs first, then seeded mutations. The CI budget is
 * {@code edgetrain.fuzz.seconds} per target (default 10, nine targets: about 100 s); a longer run on demand:
 * {@code scripts/fuzz.sh SECONDS [MAX_INPUTS]}. Fails on any input that ends in anything but the documented bad-input
 * error, a hang or an out-of-memory; the inputs are saved under target/fuzz/ to be kept in src/test/resources/fuzz/.
 */
class FuzzTest {
    @Test
    void noParserThrowsAnythingButTheBadInputErrorHangsOrRunsOutOfMemory() throws Exception {
        String seconds = System.getProperty("edgetrain.fuzz.seconds", "10");
        String inputs = System.getProperty("edgetrain.fuzz.inputs", "0");
        String seed = System.getProperty("edgetrain.fuzz.seed", "16");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss256k", "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), FuzzMain.class.getName(), "target/fuzz", seconds, inputs, seed));
        String targets = System.getProperty("edgetrain.fuzz.targets", "");
        if (!targets.isBlank()) cmd.addAll(List.of(targets.split(",")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line); // the counts go to the build log
                out.append(line).append('\n');
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.MINUTES));
        assertFalse(out.toString().contains("HANG"), out.toString());
        assertFalse(out.toString().contains("FINDING"), out.toString());
        assertEquals(0, p.exitValue(), out.toString());
        assertTrue(out.toString().contains("fuzz checkpoint-crc"), "every target ran: " + out);
    }
}
