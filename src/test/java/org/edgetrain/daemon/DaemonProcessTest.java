package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgetrain.io.Checkpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a process: killed with SIGKILL at random moments, stopped with SIGTERM. */
class DaemonProcessTest {
    @TempDir
    Path tmp;

    /** Checkpoints every 100 steps with the replay buffer in them (~1 MB each), so kills land during writes too. */
    static final String CONFIG = DaemonTest.CONFIG.replace("checkpoint_every = 250", "checkpoint_every = 100")
            .replace("log_every = 100", "log_every = 100").replace("replay = 300", "replay = 6000");
    /** The same in fixed point (int16 training, int16 replay rows). */
    static final String FIXED = DaemonTest.FIXED.replace("checkpoint_every = 250", "checkpoint_every = 100")
            .replace("replay = 300", "replay = 6000");

    private static String config(String precision) {
        return precision.equals("fixed") ? FIXED : CONFIG;
    }

    private Process start(Path config, Path state, String... extra) throws IOException {
        return start(config, state, tmp.resolve("out-" + System.nanoTime() + ".log"), extra);
    }

    /** {@code edgetrain run} in a fresh JVM from the test classpath, Java kernels, output (and errors) to {@code out}. */
    private static Process start(Path config, Path state, Path out, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--config", config.toString(),
                "--state-dir", state.toString(), "--kernels", "java"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static long lastLoggedStep(Path log) throws IOException {
        long last = -1;
        if (!Files.exists(log)) return last;
        Matcher m = Pattern.compile("step=(\\d+) loss=").matcher(Files.readString(log, StandardCharsets.UTF_8));
        while (m.find()) last = Long.parseLong(m.group(1));
        return last;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fixed"})
    void killedAtRandomMomentsItAlwaysRestartsFromAValidCheckpointLosingAtMostOneInterval(String precision) throws Exception {
        Path config = tmp.resolve("d.conf");
        Files.writeString(config, config(precision));
        Path state = tmp.resolve("state");
        Path log = state.resolve("logs").resolve("edgetrain.log");
        CheckpointStore store = new CheckpointStore(state.resolve("checkpoints"), 3);
        Random r = new Random(11);
        long best = -1;
        int kills = 0, withCheckpoint = 0, midWrite = 0;
        int rounds = precision.equals("fixed") ? 6 : 12; // fixed point shares the code path; fewer JVM starts
        for (int round = 0; round < rounds; round++) {
            Path out = tmp.resolve("kill-" + round + ".out");
            // random moments in training, not in wall-clock time since the JVM started (which a loaded machine stretches):
            // wait until this run has logged 200-500 steps past where it resumed (so the checkpoint 100 steps before is
            // complete: its log line comes before it, the next one after), then up to 150 ms more
            long resumed = lastLoggedStep(log);
            long target = Math.max(resumed, 0) + 200 + 100 * r.nextInt(4);
            Process p = start(config, state, out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lastLoggedStep(log) < target && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(lastLoggedStep(log) >= target, "the daemon logged step " + target + " within 120 s (last " + lastLoggedStep(log) + ")");
            Thread.sleep(r.nextInt(150));
            p.destroyForcibly(); // SIGKILL: no handler runs, no final checkpoint
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            kills++;
            try (var files = Files.list(state.resolve("checkpoints"))) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"))) midWrite++;
            } catch (java.nio.file.NoSuchFileException e) {
                // killed before the first checkpoint
            }
            // every checkpoint file that exists reads back intact: a write is either complete or invisible
            for (Path f : store.list()) Checkpoint.read(f);
            CheckpointStore.Loaded l = store.latestValid(c -> true);
            long logged = lastLoggedStep(log);
            if (l != null) {
                withCheckpoint++;
                assertTrue(l.step() >= best, "a checkpoint never goes backwards: " + l.step() + " < " + best);
                // the log line for step N is written before the checkpoint of N: at most one interval (100) behind
                assertTrue(l.step() >= logged - 100 - 100, "newest checkpoint " + l.step() + ", last logged step " + logged);
                best = l.step();
            }
        }
        System.out.println("DaemonProcessTest (" + precision + "): " + kills + " kills, " + midWrite + " during a checkpoint write (a temp file left)");
        // every run logged at least 200 steps past its start, and checkpoint_every is 100
        assertEquals(kills, withCheckpoint, "every run left a checkpoint: " + withCheckpoint + " of " + kills);
        // and the daemon still finishes cleanly from whatever the kills left
        Process last = start(config, state, "--steps", Long.toString(best + 200));
        assertTrue(last.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue());
        assertEquals(best + 200, store.latestValid(c -> true).step(), "resumed from the newest checkpoint, not from scratch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fixed"})
    void sigtermFinishesTheStepWritesACheckpointAndExitsZero(String precision) throws Exception {
        Path config = tmp.resolve("d.conf");
        Files.writeString(config, config(precision));
        Path state = tmp.resolve("state");
        Path out = tmp.resolve("sigterm.out");
        Process p = start(config, state, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lastLoggedStep(state.resolve("logs").resolve("edgetrain.log")) < 300 && System.nanoTime() < deadline) Thread.sleep(50);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stops within the bound");
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        Matcher m = Pattern.compile("stopped at step (\\d+)").matcher(text);
        assertTrue(m.find(), text);
        long stopped = Long.parseLong(m.group(1));
        CheckpointStore.Loaded l = new CheckpointStore(state.resolve("checkpoints"), 3).latestValid(c -> true);
        assertNotNull(l);
        assertEquals(stopped, l.step(), "the final checkpoint is the stop step");
        String log = Files.readString(state.resolve("logs").resolve("edgetrain.log"));
        assertTrue(log.contains("stop requested"), "the log was flushed");
        assertTrue(log.contains("precision " + (precision.equals("fixed") ? "int16" : "fp32")), "trained in the config's precision");
    }
}
