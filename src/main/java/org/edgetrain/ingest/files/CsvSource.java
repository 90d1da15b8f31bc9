package org.edgetrain.ingest.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.log.Log;

/**
 * Samples from a CSV file with a header: the named columns, in order, one sample per line (format in {@link
 * DelimitedText}). With {@code follow} the file is read like {@code tail -f}: at its end the source reports {@link
 * Source#NO_SAMPLE} and picks up lines appended later; a file that shrank (truncated, e.g. by log rotation) is read
 * again from the top, header first. Without {@code follow} the end of the file ends the stream.
 *
 * <p>The timestamp of a sample is the time it was read ({@link System#nanoTime()}).
 */
public final class CsvSource extends LineSource {
    private final Path path;
    private final boolean follow;
    private long resumeOffset = -1, resumeLine; // a checkpointed position not yet reached

    /**
     * A CSV source.
     *
     * @param columns the columns to read, in this order (they become the channels)
     * @param follow keep reading lines appended to the file
     */
    public CsvSource(Path path, List<String> columns, boolean follow, SourceStats stats) {
        super(path.toString(), nonEmpty(columns), new DelimitedText(path.toString(), columns, stats, columns.size()));
        this.path = path;
        this.follow = follow;
    }

    /**
     * Checks now, before any thread starts, that the file exists and its header has {@code columns}, so a typo in
     * the config fails at start with the file and line.
     *
     * @throws org.edgetrain.BadInputException naming the file, and the columns its header has
     */
    public static void checkHeader(Path path, List<String> columns) {
        String header;
        // the first line as bytes, decoded leniently like every later line: one invalid UTF-8 byte in the first 8 KB
        // once stopped the source at start ("Input length = 1") where the same byte later is one malformed line
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
            byte[] head = in.readNBytes(DelimitedText.MAX_LINE + 1);
            int nl = 0;
            while (nl < head.length && head[nl] != '\n') nl++;
            if (nl > DelimitedText.MAX_LINE) {
                throw new org.edgetrain.BadInputException(path + ":1: the header line is longer than " + DelimitedText.MAX_LINE
                        + " bytes; expected the column names, comma-separated");
            }
            header = head.length == 0 ? null : new String(head, 0, nl > 0 && head[nl - 1] == '\r' ? nl - 1 : nl, java.nio.charset.StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new org.edgetrain.BadInputException(path + ": CSV file not found");
        } catch (IOException e) {
            throw new org.edgetrain.BadInputException(path + ": cannot read: " + e.getMessage());
        }
        if (header == null) throw new org.edgetrain.BadInputException(path + ": empty file; expected a header naming the columns");
        List<String> names = new java.util.ArrayList<>();
        for (String n : header.replace("\uFEFF", "").split(",", -1)) names.add(n.strip());
        for (String c : columns) {
            if (!names.contains(c)) {
                throw new org.edgetrain.BadInputException(path + ":1: no column '" + c + "'; the header has: "
                        + org.edgetrain.util.Untrusted.escape(String.join(", ", names), 200));
            }
        }
    }

    static List<String> nonEmpty(List<String> columns) {
        if (columns.isEmpty()) throw new IllegalArgumentException("name the columns to read");
        return columns;
    }

    @Override
    public void open() throws IOException {
        close();
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": file not found");
        }
        text.reset();
        if (resumeOffset >= 0) text.resumeAt(resumeLine);
    }

    /** A file keeps its lines: the runner pauses while the ring is full instead of dropping them. */
    @Override
    public boolean waitsWhenFull() {
        return true;
    }

    @Override
    public long read(float[] values, int offset) throws IOException {
        if (channel == null) open();
        int r = nextLine(values, offset);
        if (r > 0) return System.nanoTime();
        return r < 0 ? END : NO_SAMPLE;
    }

    @Override
    protected int fill(byte[] buf, int off, int len) throws IOException {
        if (text.takeSeek()) {
            channel.position(resumeOffset);
            resumeOffset = -1;
        }
        int n = readChannel(buf, off, len);
        if (n > 0) return n;
        if (!follow) return -1;
        if (channel.size() < channel.position()) {
            Log.warn("{}: the file shrank; reading it again from the top", path);
            channel.position(0);
            text.reset();
        }
        return 0;
    }

    /**
     * Writes where the next unread line starts (byte offset and line number) and what identifies the file: its size
     * and a CRC-32 of the bytes before that offset (at most the first 64 KiB), so that a restarted daemon goes on
     * after the lines it has already taken instead of reading a finite file again from the top.
     */
    public void save(String prefix, org.edgetrain.io.Checkpoint c) throws IOException {
        long offset, line;
        if (resumeOffset >= 0) { // not reached yet: the position still is the loaded one
            offset = resumeOffset;
            line = resumeLine;
        } else if (channel == null || !text.headerRead()) {
            offset = 0;
            line = 0;
        } else {
            offset = channel.position() - text.buffered();
            line = text.lineNumber();
        }
        c.longs(prefix + ".pos", new long[] {offset, line, offset == 0 ? 0 : java.nio.file.Files.size(path), prefixCrc(offset)});
    }

    /**
     * Goes on at a saved position when the file still is the one it was taken from (at least as long as the offset,
     * the same bytes before it); otherwise logs why and reads the file from the top, as a fresh start would.
     */
    public void load(String prefix, org.edgetrain.io.Checkpoint c) throws IOException {
        long[] p = c.longs(prefix + ".pos");
        if (p[0] < 0 || p[1] < 0 || p[2] < p[0]) {
            throw new org.edgetrain.BadInputException(prefix + ".pos is " + p[0] + ", " + p[1] + ", " + p[2] + "; allowed: offset >= 0, line >= 0, "
                    + "size >= offset");
        }
        resumeOffset = -1;
        if (p[0] == 0) return;
        long size = java.nio.file.Files.size(path);
        if (size < p[0]) {
            Log.warn("{}: {} bytes, shorter than the checkpoint's position {} (line {}): another file; reading it from the top", path, size,
                    p[0], p[1]);
        } else if (prefixCrc(p[0]) != p[3]) {
            Log.warn("{}: the bytes before the checkpoint's position {} (line {}) differ: another file; reading it from the top", path,
                    p[0], p[1]);
        } else {
            resumeOffset = p[0];
            resumeLine = p[1];
            close(); // the next read opens the file, reads its header, then moves to the offset
            Log.info("{}: going on at line {} (byte {}) where the checkpoint left it", path, p[1] + 1, p[0]);
        }
    }

    private long prefixCrc(long offset) throws IOException {
        if (offset == 0) return 0;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
            crc.update(in.readNBytes((int) Math.min(offset, 1 << 16)));
        }
        return crc.getValue();
    }

    /** The line number of the last malformed line skipped (also logged), 0 if none. */
    public long lastMalformedLine() {
        return text.lastMalformedLine();
    }
}
