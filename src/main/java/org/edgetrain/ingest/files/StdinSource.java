package org.edgetrain.ingest.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;

/**
 * Samples from CSV lines on standard input (or any stream), header first, e.g. another program's output piped in:
 * {@code sensor-tool | edgetrain ingest --config stdin.conf}. A read blocks only the source thread; the end of the
 * stream ends the source. Timestamps are the arrival times.
 */
public final class StdinSource implements Source {
    private final InputStream in;
    private final String[] columns;
    private final DelimitedText text;
    private final DelimitedText.Input input;

    /** Reads {@code columns} from {@code in} (System.in for stdin). */
    public StdinSource(InputStream in, List<String> columns, SourceStats stats) {
        if (columns.isEmpty()) throw new IllegalArgumentException("name the columns to read");
        this.in = in;
        this.columns = columns.toArray(new String[0]);
        this.text = new DelimitedText("stdin", columns, stats, columns.size());
        this.input = (buf, off, len) -> {
            int n = in.read(buf, off, len);
            return n < 0 ? -1 : n;
        };
    }

    @Override
    public String name() {
        return "stdin";
    }

    @Override
    public int channels() {
        return columns.length;
    }

    @Override
    public String[] channelNames() {
        return columns.clone();
    }

    /** A file keeps its lines: the runner pauses while the ring is full instead of dropping them. */
    @Override
    public boolean waitsWhenFull() {
        return true;
    }

    @Override
    public long read(float[] values, int offset) throws IOException {
        int r = text.next(input, values, offset);
        if (r > 0) return System.nanoTime();
        if (r < 0 && !text.headerRead()) {
            throw new org.edgetrain.BadInputException("stdin: no input; expected a header line naming the columns "
                    + String.join(", ", columns) + ", then one line per sample");
        }
        return r < 0 ? END : NO_SAMPLE;
    }
}
