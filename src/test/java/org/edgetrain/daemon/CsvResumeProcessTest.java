package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon on a finite CSV file, SIGKILLed after its first checkpoint and started again, goes on at the checkpoint's
 * line: over both runs it takes every row exactly once (before, the restart read the file again from the top).
 */
class CsvResumeProcessTest {
    static final int ROWS = 60_000;

    @TempDir
    Path tmp;

    private Process start(Path config, Path state, Path out) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "org.edgetrain.cli.Main", "run", "--config", config.toString(), "--state-dir", state.toString(), "--kernels", "java");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static long checkpoints(Path state) throws IOException {
        Path dir = state.resolve("checkpoints");
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ckpt")).count();
        }
    }

    private Path config(Path csv) throws IOException {
        Path c = tmp.resolve("csv.conf");
        Files.writeString(c, """
                [source]
                type = csv
                path = %s
                columns = a, b, c
                rate_hz = 0
                [preprocess]
                standardize = off
                warmup = 0
                window = 1
                [label]
                mode = reconstruct
                [model]
                layers = dense(8) leaky_relu dense(3)
                [loss]
                type = mse
                [optimizer]
                type = sgd
                lr = 0.01
                [train]
                batch = 8
                seed = 1
                [daemon]
                checkpoint_every = 200
                log_every = 100000
                eval_every = 100000
                replay = 256
                output = off
                """.formatted(csv));
        return c;
    }

    @Test
    void aRestartAfterSigkillGoesOnWhereTheCheckpointLeftTheFile() throws Exception {
        Path csv = tmp.resolve("rows.csv");
        StringBuilder sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < ROWS; i++) sb.append(i % 7 * 0.1).append(',').append(i % 5 * 0.2).append(',').append(i % 3 * 0.3).append('\n');
        Files.writeString(csv, sb);
        Path conf = config(csv), state = tmp.resolve("state");
        Path first = tmp.resolve("first.log"), second = tmp.resolve("second.log");

        Process p = start(conf, state, first);
        for (int i = 0; i < 600 && checkpoints(state) == 0 && p.isAlive(); i++) Thread.sleep(20);
        assertTrue(p.isAlive(), "the first run must still be reading when it is killed: " + Files.readString(first));
        p.destroyForcibly(); // SIGKILL: no final checkpoint
        p.waitFor(30, TimeUnit.SECONDS);
        assertTrue(checkpoints(state) > 0);

        Process q = start(conf, state, second);
        assertTrue(q.waitFor(300, TimeUnit.SECONDS), "a finite file ends the second run");
        String log = Files.readString(second, StandardCharsets.UTF_8);
        Matcher resumed = Pattern.compile("resumed from .* \\(step \\d+, (\\d+) windows seen\\)").matcher(log);
        assertTrue(resumed.find(), log);
        long seen = Long.parseLong(resumed.group(1));
        assertTrue(seen > 0 && seen < ROWS, "killed part-way through the file: " + seen);
        Matcher at = Pattern.compile("going on at line (\\d+) \\(byte \\d+\\)").matcher(log);
        assertTrue(at.find(), log);
        assertEquals(seen + 2, Long.parseLong(at.group(1)), "the line after the header and the rows already taken");
        Matcher ended = Pattern.compile("source ended after (\\d+) windows").matcher(log);
        assertTrue(ended.find(), log);
        assertEquals(ROWS, Long.parseLong(ended.group(1)), "every row taken exactly once over both runs");
    }
}
