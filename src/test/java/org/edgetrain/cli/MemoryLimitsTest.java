package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.2 and 16.3: plans too big for the budget, the heap or a Java array are refused with the numbers before
 * anything is allocated, instead of OutOfMemoryError, NegativeArraySizeException or sizes that wrap around in int.
 */
class MemoryLimitsTest {
    @TempDir
    Path tmp;

    /** {@code edgetrain ARGS} in a JVM with {@code -Xmx}{@code heap}, as the service starts it. */
    private static String process(String heap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "org.edgetrain.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return p.exitValue() + "\n" + out;
    }

    @Test
    void aHugeReplayBufferOnThePiZeroProfileGetsTheBudgetMessageNotOutOfMemory() throws Exception {
        String conf = Files.readString(Path.of("examples/daemon-sim.conf")).replace("replay = 2048", "replay = 1000000")
                + "\n[engine]\nboard = pi-zero-2w\n";
        Path c = Files.writeString(tmp.resolve("d.conf"), conf);
        String out = process("48m", "run", "--config", c.toString(), "--state-dir", tmp.resolve("st").toString(), "--steps", "10");
        assertEquals('2', out.charAt(0), out);
        assertTrue(out.contains("daemon.memory_budget is 16,777,216"), out);
        assertTrue(out.contains("replay buffer 768,000,000 for 1000000 rows"), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }

    @Test
    void aDaemonPlanOverTheHeapNamesTheHeap() throws Exception {
        String conf = Files.readString(Path.of("examples/daemon-sim.conf")).replace("replay = 2048", "replay = 1000000");
        Path c = Files.writeString(tmp.resolve("d.conf"), conf);
        String out = process("48m", "run", "--config", c.toString(), "--state-dir", tmp.resolve("st").toString(), "--steps", "10");
        assertEquals('2', out.charAt(0), out);
        assertTrue(out.contains("but this JVM's heap (-Xmx, the board profile's heap) is"), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }

    @Test
    void trainChecksTheArenaAgainstTheHeapBeforeAllocating() throws Exception {
        Path c = Files.writeString(tmp.resolve("big.conf"), "[model]\nlayers = dense(100000) dense(10)\n[loss]\ntype = cross_entropy\n[train]\nepochs = 1\n");
        String out = process("48m", "train", "--config", c.toString(), "--train", "data/digits-train.csv", "--out", tmp.resolve("m.etm").toString());
        assertEquals('2', out.charAt(0), out);
        assertTrue(out.contains("the arena (memory plan: "), out);
        assertTrue(out.contains("raise -Xmx or make the model, batch or replay buffer smaller"), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }

    @Test
    void layerSizesThatOverflowAnIntAreRefusedWithTheNumbers() throws Exception {
        Path c = Files.writeString(tmp.resolve("wide.conf"), "[model]\nlayers = dense(100000) dense(100000)\n");
        CliRunner r = CliRunner.run("plan", "--config", c.toString(), "--inputs", "10");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("the model does not fit: layer 1 weight [100000, 100000] needs 10,000,000,000 elements"), r.err());
    }

    @Test
    void aBatchThatOverflowsAnIntIsRefusedWithTheNumbers() throws Exception {
        Path c = Files.writeString(tmp.resolve("batch.conf"), "[model]\nlayers = dense(4096) dense(10)\n[train]\nbatch = 1048576\n");
        CliRunner r = CliRunner.run("plan", "--config", c.toString(), "--inputs", "64");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("needs 4,294,967,296 elements"), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }
}
