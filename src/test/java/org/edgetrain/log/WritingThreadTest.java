package org.edgetrain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WritingThreadTest {
    /** Console output that blocks its first write until released, as a stuck SD card or pipe would. */
    private static final class Stuck extends OutputStream {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            synchronized (got) {
                got.write(b, off, n);
            }
        }
    }

    @Test
    void aFullQueueDropsAndCountsLinesAndSaysSoOnceThereIsRoom() throws Exception {
        Stuck stuck = new Stuck();
        PrintStream s = new PrintStream(stuck, false, StandardCharsets.UTF_8);
        WritingThread t = new WritingThread(null, Level.OFF, new ConsoleWriter(Level.INFO, "", s, s), new Timestamp(TimeZone.getDefault()), 4);
        t.start();
        t.write(Level.INFO, 0, "first");
        assertTrue(stuck.entered.await(10, TimeUnit.SECONDS), "the thread took the first line");
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) t.write(Level.INFO, 0, "line " + i); // 4 queued, 6 dropped, none waits
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "a caller never waits for the writer");
        assertEquals(6, t.dropped());
        stuck.release.countDown();
        t.shutdown();
        String out = stuck.got.toString(StandardCharsets.UTF_8);
        String nl = System.lineSeparator();
        assertEquals("INFO: first" + nl + "WARN: 6 log lines dropped: the log writer fell behind (its queue holds 4)" + nl
                + "INFO: line 0" + nl + "INFO: line 1" + nl + "INFO: line 2" + nl + "INFO: line 3" + nl, out);
        assertEquals(0, t.dropped());
    }

    @Test
    void theQueueKeepsOrderAcrossItsWrapAndRefusesWhenFull() throws Exception {
        LineQueue q = new LineQueue(3);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3; i++) assertTrue(q.offer(new WritingThread.Entry(Level.INFO, i, "r" + round + "i" + i)));
            assertTrue(!q.offer(new WritingThread.Entry(Level.INFO, 9, "full")));
            assertTrue(!q.offer(new WritingThread.Entry(Level.INFO, 9, "full"), 20), "a timed offer gives up");
            for (int i = 0; i < 3; i++) assertEquals("r" + round + "i" + i, q.take().text);
            assertEquals(null, q.poll());
        }
    }

    @Test
    void shutdownDrainsTheQueueBeforeClosing() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream s = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        WritingThread t = new WritingThread(null, Level.OFF, new ConsoleWriter(Level.INFO, "", s, s), new Timestamp(TimeZone.getDefault()), 1024);
        t.start();
        for (int i = 0; i < 500; i++) t.write(Level.INFO, 0, "l" + i);
        t.write(Level.INFO, 0, "stopped at step 500: checkpoint written");
        t.shutdown();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(501, out.split(System.lineSeparator()).length);
        assertTrue(out.endsWith("INFO: stopped at step 500: checkpoint written" + System.lineSeparator()), out);
    }
}
