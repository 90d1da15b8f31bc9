package org.edgetrain.log;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's log sink: callers only put the finished message on a bounded queue; one low-priority daemon thread
 * stamps the time, writes the file and the console, and flushes when the queue runs empty. A slow SD card or a full
 * disk therefore never stalls a training step. When the queue is full the line is dropped and counted; the thread
 * says how many once it has caught up. {@link #shutdown} drains the queue and closes the file (the daemon's last
 * checkpoint line must reach it).
 */
final class WritingThread extends Thread implements LogSink {
    static final int CAPACITY = 1024;

    /** A message waiting for the thread. */
    static final class Entry {
        final Level level;
        final long epochMillis;
        final String text;

        Entry(Level level, long epochMillis, String text) {
            this.level = level;
            this.epochMillis = epochMillis;
            this.text = text;
        }
    }

    private static final Entry STOP = new Entry(Level.OFF, 0, "");

    private final LineQueue queue;
    private final AtomicLong dropped = new AtomicLong();
    private final RollingFile file;
    private final Level fileLevel;
    private final ConsoleWriter console;
    private final Level threshold;
    private final Timestamp clock;
    private final StringBuilder line = new StringBuilder(256);

    /** {@code file} may be null (console only), {@code console} too. */
    WritingThread(RollingFile file, Level fileLevel, ConsoleWriter console, Timestamp clock, int capacity) {
        super("edgetrain-log");
        this.queue = new LineQueue(capacity);
        this.file = file;
        this.fileLevel = file != null ? fileLevel : Level.OFF;
        this.console = console;
        Level c = console != null ? console.threshold() : Level.OFF;
        this.threshold = c.compareTo(this.fileLevel) < 0 ? c : this.fileLevel;
        this.clock = clock;
        setDaemon(true);
        setPriority(Thread.MIN_PRIORITY);
    }

    @Override
    public Level threshold() {
        return threshold;
    }

    @Override
    public void write(Level level, long epochMillis, String text) {
        if (!queue.offer(new Entry(level, epochMillis, text))) dropped.incrementAndGet();
    }

    /** Lines dropped so far because the queue was full and not yet reported (for tests). */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void run() {
        try {
            while (true) {
                Entry e = queue.poll();
                if (e == null) {
                    flush();
                    e = queue.take();
                }
                if (e == STOP) break;
                try {
                    reportDropped(e.epochMillis);
                    handle(e);
                } catch (RuntimeException ex) {
                    // a bug here must not end the thread: the queue would fill and every later line be dropped
                    System.err.println("ERROR: the log writer failed on a line (" + ex + "); going on");
                }
            }
            for (Entry e = queue.poll(); e != null; e = queue.poll()) if (e != STOP) handle(e);
            reportDropped(System.currentTimeMillis());
            flush();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            if (file != null) file.close();
            if (console != null) console.shutdown();
        }
    }

    @Override
    public void shutdown() {
        try {
            if (queue.offer(STOP, 5000)) join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportDropped(long epochMillis) {
        long n = dropped.getAndSet(0);
        if (n > 0) handle(new Entry(Level.WARN, epochMillis, n + " log line" + (n == 1 ? "" : "s")
                + " dropped: the log writer fell behind (its queue holds " + queue.capacity() + ")"));
    }

    private void handle(Entry e) {
        if (file != null && e.level.compareTo(fileLevel) >= 0) {
            line.setLength(0);
            clock.append(line, e.epochMillis);
            line.append(' ').append(e.level.name()).append(": ").append(e.text).append(System.lineSeparator());
            file.write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (console != null) console.write(e.level, e.epochMillis, e.text);
    }

    private void flush() {
        if (file == null) return;
        String again = file.flush();
        if (again != null) {
            handle(new Entry(Level.WARN, System.currentTimeMillis(), again));
            file.flush();
        }
    }
}
