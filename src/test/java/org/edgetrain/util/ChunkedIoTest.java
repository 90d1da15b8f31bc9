package org.edgetrain.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.edgetrain.io.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedIoTest {
    @TempDir
    Path tmp;

    @Test
    void writesAndReadsEveryByteAtPieceEdges() throws Exception {
        Random r = new Random(7);
        for (int n : new int[] {0, 1, ChunkedIo.PIECE - 1, ChunkedIo.PIECE, ChunkedIo.PIECE + 1, 3 * ChunkedIo.PIECE + 7}) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            Path f = tmp.resolve("f" + n);
            ByteBuffer b = ByteBuffer.wrap(data, 0, n);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ChunkedIo.writeFully(ch, b);
            }
            assertEquals(n, b.position());
            assertEquals(n, b.limit(), "the limit is given back");
            assertArrayEquals(data, Files.readAllBytes(f));
            assertArrayEquals(data, ChunkedIo.readAllBytes(f));
        }
        assertThrows(NoSuchFileException.class, () -> ChunkedIo.readAllBytes(tmp.resolve("missing")));
    }

    /**
     * The point of it: a 2 MB checkpoint-sized write and read on a thread leave that thread's cached temporary direct
     * buffer at one piece, not 2 MB (measured while the thread lives, through the JVM's direct buffer pool).
     */
    @Test
    void aLargeWriteAndReadLeaveNoLargeNativeBufferOnTheThread() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        byte[] data = new byte[2 << 20];
        new Random(3).nextBytes(data);
        Path f = tmp.resolve("big.ckpt");
        AtomicLong grown = new AtomicLong();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                long before = direct.getMemoryUsed();
                AtomicFile.write(f, ByteBuffer.wrap(data, 0, 1000), ByteBuffer.wrap(data, 1000, data.length - 1000));
                assertArrayEquals(data, ChunkedIo.readAllBytes(f));
                grown.set(direct.getMemoryUsed() - before);
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        if (failed.get() != null) throw new AssertionError(failed.get());
        assertTrue(grown.get() <= 2L * ChunkedIo.PIECE, "direct memory kept after a 2 MB write and read: " + grown.get() + " bytes");
    }
}
