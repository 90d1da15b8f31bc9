package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgetrain.io.Checkpoint;
import org.edgetrain.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static Checkpoint ckpt(float v) {
        return new Checkpoint().meta("config", "x").floats("w", new float[] {v, v + 1}).longs("n", new long[] {7}).ints("r", new int[] {1, 2});
    }

    @Test
    void roundTripsEverySectionKind() throws IOException {
        CheckpointStore s = new CheckpointStore(dir, 3);
        s.write(ckpt(1.5f), 10);
        CheckpointStore.Loaded l = s.latestValid(c -> true);
        assertEquals(10, l.step());
        assertArrayEquals(new float[] {1.5f, 2.5f}, l.checkpoint().floats("w"));
        assertArrayEquals(new long[] {7}, l.checkpoint().longs("n"));
        assertArrayEquals(new int[] {1, 2}, l.checkpoint().ints("r"));
        assertEquals("x", l.checkpoint().meta("config"));
    }

    @Test
    void keepsTheNewestK() throws IOException {
        CheckpointStore s = new CheckpointStore(dir, 2);
        for (int i = 1; i <= 5; i++) s.write(ckpt(i), i * 100L);
        assertEquals(2, s.list().size());
        assertEquals(500, CheckpointStore.stepOf(s.list().get(0)));
        assertEquals(400, CheckpointStore.stepOf(s.list().get(1)));
    }

    /** The names {@code checkpoint-(\d{12})\.ckpt} matched before the scan was written by hand; nothing else counts. */
    @Test
    void listsOnlyTwelveDigitCheckpointNamesNewestFirst() throws IOException {
        CheckpointStore s = new CheckpointStore(dir, 3);
        s.write(ckpt(1), 7);
        s.write(ckpt(2), 123_456_789_012L);
        s.write(ckpt(3), 30);
        for (String other : new String[] {"checkpoint-00000000001.ckpt", "checkpoint-0000000000001.ckpt", "checkpoint-00000000000a.ckpt",
                "checkpoint-000000000040.ckpt.tmp", "checkpoint-000000000040.CKPT", "Checkpoint-000000000040.ckpt", "checkpoint-٠٠٠٠٠٠٠٠٠٠٤٠.ckpt",
                "xcheckpoint-000000000040.ckpt", "checkpoint-+00000000040.ckpt"}) {
            Files.write(dir.resolve(other), new byte[] {1});
            assertEquals(-1, CheckpointStore.stepOf(dir.resolve(other)), other);
        }
        assertEquals(java.util.List.of(dir.resolve("checkpoint-123456789012.ckpt"), dir.resolve("checkpoint-000000000030.ckpt"),
                dir.resolve("checkpoint-000000000007.ckpt")), s.list());
    }

    @Test
    void aBitFlippedNewestFallsBackToThePrevious() throws IOException {
        CheckpointStore s = new CheckpointStore(dir, 3);
        s.write(ckpt(1), 100);
        Path newest = s.write(ckpt(2), 200);
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(40);
            int b = f.read();
            f.seek(40);
            f.write(b ^ 0x10);
        }
        FormatException e = assertThrows(FormatException.class, () -> Checkpoint.read(newest));
        assertTrue(e.getMessage().contains("corrupted: CRC32"), e.getMessage());
        CheckpointStore.Loaded l = s.latestValid(c -> true);
        assertEquals(100, l.step());
        assertEquals(1f, l.checkpoint().floats("w")[0]);
    }

    @Test
    void aTruncatedNewestFallsBackToThePrevious() throws IOException {
        CheckpointStore s = new CheckpointStore(dir, 3);
        s.write(ckpt(1), 100);
        Path newest = s.write(ckpt(2), 200);
        byte[] all = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(all, all.length - 5));
        assertTrue(assertThrows(FormatException.class, () -> Checkpoint.read(newest)).getMessage().contains("truncated"));
        assertEquals(100, s.latestValid(c -> true).step());
        Files.write(newest, java.util.Arrays.copyOf(all, 20));
        assertEquals(100, s.latestValid(c -> true).step());
    }

    @Test
    void aNanModelIsNeverWritten() throws IOException {
        CheckpointStore s = new CheckpointStore(dir, 3);
        s.write(ckpt(1), 100);
        assertNull(s.write(ckpt(Float.NaN), 200));
        assertNull(s.write(ckpt(Float.POSITIVE_INFINITY), 300));
        assertEquals(1, s.list().size());
        assertEquals(100, s.latestValid(c -> true).step());
    }

    @Test
    void noCheckpointGivesNull() throws IOException {
        assertNull(new CheckpointStore(dir.resolve("none"), 3).latestValid(c -> true));
    }
}
