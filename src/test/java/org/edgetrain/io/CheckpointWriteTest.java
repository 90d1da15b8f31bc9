package org.edgetrain.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.edgetrain.util.AllocationCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointWriteTest {
    @TempDir
    Path tmp;

    private static Checkpoint sample(int floats) {
        Random r = new Random(11);
        float[] f = new float[floats];
        for (int i = 0; i < f.length; i++) f[i] = r.nextFloat() - 0.5f;
        long[] l = {Long.MIN_VALUE, -1, 0, 42, Long.MAX_VALUE};
        int[] n = new int[70_000]; // more than one 64 KiB piece of ints
        for (int i = 0; i < n.length; i++) n[i] = r.nextInt();
        return new Checkpoint().meta("layers", "dense(64) relu dense(8)").meta("written_at", "2026-12-02T04:00:00.000Z")
                .meta("long", "x".repeat(100_000)).floats("trainer.state", f).floats("empty", new float[0]).longs("counters", l)
                .ints("rng", n);
    }

    /** Every section comes back as written, across piece boundaries, and the CRC in the header (checked by read) holds. */
    @Test
    void whatIsWrittenReadsBackSectionForSection() throws Exception {
        Checkpoint c = sample(500_001);
        Path f = tmp.resolve("c.ckpt");
        c.write(f);
        Checkpoint back = Checkpoint.read(f);
        assertEquals(c.meta(), back.meta());
        assertEquals(c.layout(), back.layout());
        assertArrayEquals(c.floats("trainer.state"), back.floats("trainer.state"));
        assertArrayEquals(c.longs("counters"), back.longs("counters"));
        assertArrayEquals(c.ints("rng"), back.ints("rng"));
        long payload = 0;
        for (var e : c.meta().entrySet()) payload += 7 + e.getKey().length() + e.getValue().length();
        payload += 7 + "trainer.state".length() + 4L * 500_001 + 7 + "empty".length() + 7 + "counters".length() + 8 * 5 + 7 + 3 + 4 * 70_000;
        assertEquals(32 + payload, Files.size(f), "header and sections, nothing more");
    }

    /** Streamed: a 2 MB checkpoint costs the writing thread its 64 KiB buffer, not a buffer its size. */
    @Test
    void writingAllocatesAPieceNotTheCheckpoint() throws Exception {
        assertTrue(AllocationCounter.supported());
        Checkpoint c = sample(500_000);
        Path f = tmp.resolve("c.ckpt");
        c.write(f); // warm-up: classes, the channel's cached direct buffer
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = AllocationCounter.currentThread();
            c.write(f);
            least = Math.min(least, AllocationCounter.currentThread() - before);
        }
        assertTrue(least < 256 * 1024, "a 2 MB checkpoint write allocated " + least + " bytes");
    }
}
