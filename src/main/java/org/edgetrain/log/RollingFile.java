package org.edgetrain.log;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * The daemon's log files, as tinylog 2.7's rolling file writer kept them: {@code <base>.<count>.log}, the newest
 * count written, {@code <base>.log} a hard link to it (what {@code tail -F} and users open), a new count once the
 * size limit would be passed, the older files gzipped ({@code <base>.<count>.log.gz}) and only the newest
 * {@code backups} of them kept. On restart the newest file is continued while it is under the limit.
 *
 * <p>A failure to write is said once per burst, not once per line (issue 16: on a full disk tinylog printed a stack
 * trace per flush, flooding journald on the same full card): the first failure of a burst is one line on stderr,
 * the lines in between are dropped, and the first flush that reaches the file again returns the line that explains
 * the gap ({@link #flush}). Only the writing thread calls this class; gzip runs there too, never on a training thread.
 */
final class RollingFile {
    private static final int BUFFER = 16 * 1024;

    private final Path dir;
    private final String base;
    private final long maxBytes;
    private final int backups;
    private final Path latest;
    private final byte[] buffer = new byte[BUFFER];
    private int buffered;
    private long count;
    private Path current;
    private long size;
    private OutputStream out;
    private boolean failing;
    private boolean failedSinceFlush;
    private long lost;

    /** Opens (continues or starts) the newest file of {@code <dir>/<base>.<count>.log}. */
    RollingFile(Path dir, String base, long maxBytes, int backups) throws IOException {
        this.dir = dir;
        this.base = base;
        this.maxBytes = maxBytes;
        this.backups = backups;
        this.latest = dir.resolve(base + ".log");
        long newest = -1;
        boolean newestPlain = false;
        String[] names = dir.toFile().list();
        if (names == null) throw new IOException(dir + ": not a readable directory");
        for (String n : names) {
            long c = countOf(n);
            if (c > newest) {
                newest = c;
                newestPlain = false;
            }
            if (c == newest && c >= 0 && n.endsWith(".log")) newestPlain = true;
        }
        Path last = newest >= 0 ? file(newest, false) : null;
        if (newestPlain && Files.size(last) <= maxBytes) {
            open(newest, true);
        } else {
            open(newest + 1, false);
        }
        prune();
    }

    /** The name users open: a hard link to the file being written. */
    Path latest() {
        return latest;
    }

    /** Adds one finished line (with its line end); rolls to a new file first when the size limit would be passed. */
    void write(byte[] line) {
        if (size + line.length > maxBytes && size > 0) roll();
        size += line.length;
        if (buffered + line.length > buffer.length) flushBuffer();
        if (line.length > buffer.length) {
            writeOut(line, line.length);
        } else {
            System.arraycopy(line, 0, buffer, buffered, line.length);
            buffered += line.length;
        }
    }

    /**
     * Writes the buffer to the file. Returns the line that says a burst of failures is over (the caller logs it, so it
     * reaches the file and the console), or null.
     */
    String flush() {
        boolean failedBefore = failedSinceFlush;
        failedSinceFlush = false;
        flushBuffer();
        if (failedSinceFlush) return null;
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                failed(e);
                failedSinceFlush = false;
                return null;
            }
        }
        if (failing && !failedBefore) {
            failing = false;
            String line = "log file " + latest + " written again; " + lost + " log writes failed and their lines are lost";
            lost = 0;
            return line;
        }
        return null;
    }

    void close() {
        flushBuffer();
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            failed(e);
        }
        out = null;
    }

    /** True while the file cannot be written (for tests). */
    boolean failing() {
        return failing;
    }

    private void flushBuffer() {
        if (buffered == 0) return;
        int n = buffered;
        buffered = 0; // a failed write drops these lines: the burst line counts them as lost
        writeOut(buffer, n);
    }

    private void writeOut(byte[] bytes, int n) {
        try {
            if (out == null) reopen();
            out.write(bytes, 0, n);
        } catch (IOException e) {
            failed(e);
        }
    }

    private void roll() {
        flushBuffer();
        Path old = current;
        close();
        gzip(old);
        try {
            open(count + 1, false);
        } catch (IOException e) {
            failed(e);
        }
        prune();
    }

    private void reopen() throws IOException {
        open(count, true);
    }

    private void open(long c, boolean append) throws IOException {
        count = c;
        current = file(c, false);
        size = append && Files.exists(current) ? Files.size(current) : 0;
        out = new FileOutputStream(current.toFile(), append);
        try {
            Files.deleteIfExists(latest);
            Files.createLink(latest, current);
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("WARN: cannot link " + latest + " to " + current + " (" + e + "); the log is in " + current);
        }
    }

    /** Compresses a finished file to {@code .gz} and deletes it; on failure the plain file stays (and counts). */
    private void gzip(Path plain) {
        Path gz = file(count, true);
        try (InputStream in = new FileInputStream(plain.toFile()); OutputStream z = new GZIPOutputStream(new FileOutputStream(gz.toFile()), 8192)) {
            in.transferTo(z);
        } catch (IOException e) {
            failed(e);
            try {
                Files.deleteIfExists(gz);
            } catch (IOException ignored) {
                // the half-written backup goes at the next prune at the latest
            }
            return;
        }
        try {
            Files.delete(plain);
        } catch (IOException e) {
            failed(e);
        }
    }

    /** Deletes all but the newest {@code backups} files before the current one. */
    private void prune() {
        String[] names = dir.toFile().list();
        if (names == null) return;
        for (String n : names) {
            long c = countOf(n);
            if (c >= 0 && c < count - backups) {
                if (!new File(dir.toFile(), n).delete()) System.err.println("WARN: cannot delete the old log file " + dir.resolve(n));
            }
        }
    }

    private Path file(long c, boolean gz) {
        return dir.resolve(base + "." + c + (gz ? ".log.gz" : ".log"));
    }

    /** The count of {@code <base>.<count>.log} or {@code <base>.<count>.log.gz}, or -1 for any other name. */
    private long countOf(String name) {
        String rest;
        if (name.endsWith(".log")) rest = name.substring(0, name.length() - 4);
        else if (name.endsWith(".log.gz")) rest = name.substring(0, name.length() - 7);
        else return -1;
        if (!rest.startsWith(base + ".") || rest.length() == base.length() + 1 || rest.length() > base.length() + 19) return -1;
        long c = 0;
        for (int i = base.length() + 1; i < rest.length(); i++) {
            char ch = rest.charAt(i);
            if (ch < '0' || ch > '9') return -1;
            c = c * 10 + (ch - '0');
        }
        return c;
    }

    private void failed(Exception e) {
        lost++;
        failedSinceFlush = true;
        if (failing) return;
        failing = true;
        // stderr, not the log: this file is what cannot be written, and journald keeps stderr
        System.err.println("WARN: log file " + latest + " cannot be written (" + (e.getMessage() != null ? e.getMessage() : e.toString())
                + "); its lines are lost until it can, said once until then");
        System.err.flush();
    }
}
