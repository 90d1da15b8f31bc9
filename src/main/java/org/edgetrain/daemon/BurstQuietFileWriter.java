package org.edgetrain.daemon;

import java.util.Collection;
import java.util.Map;
import org.tinylog.Logger;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.RollingFileWriter;

/**
 * tinylog's rolling file writer, saying a failure once per burst. On a full disk tinylog's writing thread printed
 * "Failed to flush writer" with a stack trace for every failed flush (issue 16): with a step logged every few
 * milliseconds that floods journald, which on a Pi often sits on the same full card. This wrapper catches the
 * failures itself: the first one of a burst is one line on stderr (the file cannot take it), the lines in between are
 * dropped, and the first flush that reaches the file again logs one line, into the file too, saying how many writes
 * were lost, so the gap in the file is explained.
 *
 * <p>tinylog creates it by class name ({@code writer1 = org.edgetrain.daemon.BurstQuietFileWriter}) with the usual
 * rolling-file properties. Only tinylog's writing thread calls it; {@code synchronized} covers a configuration
 * without that thread.
 */
public final class BurstQuietFileWriter implements org.tinylog.writers.Writer {
    private final RollingFileWriter file;
    private final String name;
    private boolean failing;
    private boolean failedSinceFlush;
    private long lost;

    public BurstQuietFileWriter(Map<String, String> properties) throws java.io.IOException {
        file = new RollingFileWriter(properties);
        String latest = properties.get("latest");
        name = latest != null ? latest : properties.get("file");
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return file.getRequiredLogEntryValues();
    }

    @Override
    public synchronized void write(LogEntry entry) {
        try {
            file.write(entry);
        } catch (Exception e) {
            failed(e);
        }
    }

    /**
     * A flush that succeeds after a burst ends it; with a buffered file the writes only fill the buffer, so the
     * flush is where the disk answers. A write that failed since the last flush keeps the burst going (unbuffered).
     */
    @Override
    public synchronized void flush() {
        try {
            file.flush();
        } catch (Exception e) {
            failed(e);
            failedSinceFlush = false;
            return;
        }
        if (failing && !failedSinceFlush) {
            failing = false;
            Logger.warn("log file {} written again; {} log writes failed and their lines are lost", name, lost);
            lost = 0;
        }
        failedSinceFlush = false;
    }

    @Override
    public synchronized void close() throws Exception {
        try {
            file.close();
        } catch (Exception e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        lost++;
        failedSinceFlush = true;
        if (failing) return;
        failing = true;
        // stderr, not the logger: this file is what cannot be written, and journald keeps stderr
        System.err.println("WARN: log file " + name + " cannot be written (" + (e.getMessage() != null ? e.getMessage() : e.toString())
                + "); its lines are lost until it can, said once until then");
        System.err.flush();
    }

    /** True while the file cannot be written (for tests). */
    synchronized boolean failing() {
        return failing;
    }
}
