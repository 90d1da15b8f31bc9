package org.edgetrain.ingest.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.log.Log;

/**
 * Comma-separated numeric lines parsed from a byte stream without allocating per line: a header line names the
 * columns, each later line becomes one sample of the selected columns. Cells that are empty, {@code NaN}, {@code NA}
 * or {@code nan} are missing (NaN, left to the preprocessing); {@code inf}/{@code -inf} parse as infinities (also
 * missing downstream). A line with the wrong number of cells or a cell that is not a number is malformed: it is
 * skipped, counted ({@link Counter#MALFORMED_LINES}) and logged with its line number (the first
 * {@value #LOGGED_MALFORMED}; after that only counted, so a garbage file cannot flood the log).
 *
 * <p>Numbers are parsed from the bytes directly (decimal mantissa and exponent scaled in double, then rounded to
 * float): {@code Float.parseFloat} would need a String per cell. Quoted cells are not supported (sensor logs do not
 * need them).
 */
public final class DelimitedText {
    /** Longest line accepted; a longer one is malformed. */
    static final int MAX_LINE = 1 << 16;
    static final int LOGGED_MALFORMED = 20;
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10; // exact up to 1e22
    }

    /** Where the bytes come from. */
    public interface Input {
        /** Reads up to {@code len} bytes; 0 when none are available now, -1 at the end. */
        int read(byte[] buf, int off, int len) throws IOException;
    }

    private final String name;
    private final List<String> wanted;
    private final SourceStats stats;
    private final byte[] buf = new byte[MAX_LINE + 1];
    private int start; // first byte of the current (unfinished) line
    private int end; // bytes in buf
    private int scan; // where to continue looking for a newline
    private boolean skipping; // inside an over-long line: drop bytes up to the next newline
    private long lineNo;
    private int[] columnOfCell; // header cell -> output channel, -1 if not wanted
    private int cells;
    private final float[] row;
    private boolean ok;
    private long lastMalformed;
    private final boolean header;
    private long resumeLine = -1; // >= 0: after the header, go on at this line (the input moves to its bytes)
    private boolean seekPending;

    /**
     * A parser of lines with a header.
     *
     * @param name the file name, for messages
     * @param wanted the columns to output, in this order; empty for every column of the header
     */
    DelimitedText(String name, List<String> wanted, SourceStats stats, int channels) {
        this(name, wanted, stats, channels, true);
    }

    /**
     * A parser of lines with or without a header.
     *
     * @param header true when the first line names the columns; false when every line holds the {@code wanted}
     *     columns in that order (a microcontroller's serial output, an MQTT payload)
     */
    public DelimitedText(String name, List<String> wanted, SourceStats stats, int channels, boolean header) {
        if (!header && wanted.size() != channels) throw new IllegalArgumentException("without a header, name the " + channels + " columns");
        this.name = name;
        this.wanted = wanted;
        this.stats = stats;
        this.row = new float[channels];
        this.header = header;
        if (!header) noHeader();
    }

    private void noHeader() {
        columnOfCell = new int[wanted.size()];
        for (int i = 0; i < columnOfCell.length; i++) columnOfCell[i] = i;
        cells = columnOfCell.length;
    }

    /** Starts over (a truncated file read again from the top): the next line is a header again. */
    public void reset() {
        start = end = scan = 0;
        skipping = false;
        lineNo = 0;
        columnOfCell = null;
        if (!header) noHeader();
    }

    /** The header's column names once it was read, else null. */
    boolean headerRead() {
        return columnOfCell != null;
    }

    /**
     * Reads the next data line's selected cells into {@code values}.
     *
     * @return 1 for a sample, 0 when no complete line is available now, -1 at the end of the input
     */
    public int next(Input in, float[] values, int offset) throws IOException {
        while (true) {
            int nl = findNewline();
            if (nl < 0) {
                if (end - start >= MAX_LINE && columnOfCell == null && !skipping) { // without its header nothing can be read
                    throw new BadInputException(name + ":" + (lineNo + 1) + ": the header line is longer than " + MAX_LINE
                            + " bytes; expected the column names, comma-separated");
                }
                if (end - start >= MAX_LINE) { // an over-long line: report it and drop it
                    if (!skipping) malformed(lineNo + 1, "longer than " + MAX_LINE + " bytes");
                    skipping = true;
                    start = end = scan = 0;
                }
                compact();
                int n = in.read(buf, end, buf.length - end);
                if (n > 0) {
                    end += n;
                    continue;
                }
                if (n == 0) return 0;
                if (end > start) { // the last line has no newline
                    nl = end;
                } else {
                    return -1;
                }
            }
            lineNo++;
            int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
            int from = start;
            start = scan = Math.min(nl + 1, end);
            if (nl == end) start = scan = end;
            if (skipping) {
                skipping = false;
                continue;
            }
            if (isBlank(from, lineEnd)) continue;
            if (columnOfCell == null) {
                header(from, lineEnd);
                if (resumeLine >= 0) { // a resumed source: drop what was read past the header, go on at the saved line
                    lineNo = resumeLine;
                    resumeLine = -1;
                    start = end = scan = 0;
                    seekPending = true;
                }
                continue;
            }
            if (parse(from, lineEnd)) {
                System.arraycopy(row, 0, values, offset, row.length);
                return 1;
            }
        }
    }

    private int findNewline() {
        for (int i = scan; i < end; i++) {
            if (buf[i] == '\n') return i;
        }
        scan = end;
        return -1;
    }

    private void compact() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scan -= start;
            start = 0;
        }
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) if (buf[i] != ' ' && buf[i] != '\t') return false;
        return true;
    }

    private void header(int from, int to) {
        String line = new String(buf, from, to - from, StandardCharsets.UTF_8);
        if (line.startsWith("\uFEFF")) line = line.substring(1);
        String[] names = line.split(",", -1);
        List<String> found = new ArrayList<>();
        for (String n : names) found.add(n.strip());
        List<String> out = wanted.isEmpty() ? found : wanted;
        if (out.size() != row.length) {
            throw new BadInputException(name + ":" + lineNo + ": the header has " + found.size() + " columns "
                    + "[" + org.edgetrain.util.Untrusted.escape(String.join(", ", found), 200) + "]" + "; expected " + row.length + " (" + String.join(", ", out) + ")");
        }
        columnOfCell = new int[found.size()];
        Arrays.fill(columnOfCell, -1);
        for (int k = 0; k < out.size(); k++) {
            int cell = found.indexOf(out.get(k));
            if (cell < 0) {
                throw new BadInputException(name + ":" + lineNo + ": no column '" + out.get(k) + "'; the header has: "
                        + org.edgetrain.util.Untrusted.escape(String.join(", ", found), 200));
            }
            columnOfCell[cell] = k;
        }
        cells = found.size();
    }

    private boolean parse(int from, int to) {
        int cell = 0;
        int cellStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || buf[i] == ',') {
                if (cell >= cells) return malformed(lineNo, "more than " + cells + " cells");
                int k = columnOfCell[cell];
                if (k >= 0) {
                    float v = number(cellStart, i);
                    if (!ok) return malformed(lineNo, "column " + (cell + 1) + ": not a number: " + text(cellStart, i));
                    row[k] = v;
                }
                cell++;
                cellStart = i + 1;
            }
        }
        if (cell != cells) return malformed(lineNo, cell + " cells, " + (header ? "the header has " : "expected ") + cells);
        return true;
    }

    private boolean malformed(long line, String why) {
        lastMalformed = line;
        stats.increment(Counter.MALFORMED_LINES);
        long n = stats.get(Counter.MALFORMED_LINES);
        if (n <= LOGGED_MALFORMED) {
            Log.warn("{}:{}: malformed line skipped: {}{}", name, line, why,
                    n == LOGGED_MALFORMED ? " (further malformed lines are only counted)" : "");
        }
        return false;
    }

    private String text(int from, int to) {
        return org.edgetrain.util.Untrusted.quote(new String(buf, from, Math.min(to - from, 160), StandardCharsets.UTF_8).strip(), 40);
    }

    /** Parses one cell; sets {@link #ok}. Empty, NaN, NA are NaN; inf, infinity with a sign are infinities. */
    private float number(int from, int to) {
        while (from < to && (buf[from] == ' ' || buf[from] == '\t')) from++;
        while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) to--;
        ok = true;
        if (from == to) return Float.NaN;
        return parseFloat(buf, from, to);
    }

    /** The number in {@code b[from, to)}, or sets ok = false. Visible for tests. */
    float parseFloat(byte[] b, int from, int to) {
        ok = true;
        int i = from;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        if (i < to && (b[i] == 'n' || b[i] == 'N' || b[i] == 'i' || b[i] == 'I')) return word(b, i, to, negative);
        long mantissa = 0;
        int exp10 = 0;
        int digits = 0;
        boolean dot = false;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                if (mantissa < 100_000_000_000_000_000L) {
                    mantissa = mantissa * 10 + (c - '0');
                    if (dot) exp10--;
                } else if (!dot) {
                    exp10++; // digits beyond long precision only scale
                }
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) return fail();
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            int e = 0;
            int ed = 0;
            for (; i < to && b[i] >= '0' && b[i] <= '9'; i++, ed++) e = Math.min(e * 10 + (b[i] - '0'), 100_000);
            if (ed == 0) return fail();
            exp10 += eneg ? -e : e;
        }
        if (i != to) return fail();
        double v = mantissa;
        if (v != 0) {
            if (exp10 > 0) v = exp10 < POW10.length ? v * POW10[exp10] : v * Math.pow(10, exp10);
            else if (exp10 < 0) v = -exp10 < POW10.length ? v / POW10[-exp10] : v / Math.pow(10, -exp10);
        }
        float f = (float) v;
        return negative ? -f : f;
    }

    private float word(byte[] b, int from, int to, boolean negative) {
        if (eq(b, from, to, "nan") || eq(b, from, to, "na")) return Float.NaN;
        if (eq(b, from, to, "inf") || eq(b, from, to, "infinity")) return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        return fail();
    }

    private static boolean eq(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) return false;
        for (int i = 0; i < lower.length(); i++) if ((b[from + i] | 0x20) != lower.charAt(i)) return false;
        return true;
    }

    private float fail() {
        ok = false;
        return Float.NaN;
    }

    boolean lastParseOk() {
        return ok;
    }

    /** The line number of the last malformed line, 0 if none. */
    public long lastMalformedLine() {
        return lastMalformed;
    }

    long lineNumber() {
        return lineNo;
    }

    /** After the next header, continue at data line {@code line}: {@link #takeSeek()} then tells the input to move. */
    void resumeAt(long line) {
        resumeLine = line;
    }

    /** True once, when the input must move to the resumed position before the next read. */
    boolean takeSeek() {
        boolean s = seekPending;
        seekPending = false;
        return s;
    }

    /** Bytes read from the input that no returned line has used yet. */
    int buffered() {
        return end - start;
    }
}
