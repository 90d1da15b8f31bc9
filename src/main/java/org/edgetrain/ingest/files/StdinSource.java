package org.edgetrain.ingest.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.edgetrain.ingest.SourceStats;

/**
 * Samples from CSV lines on standard input (or any stream), header first, e.g. another program's output piped in:
 * {@code sensor-tool | edgetrain ingest --config stdin.conf}. A read blocks only the source thread; the end of the
 * stream ends the source. Timestamps are the arrival times.
 */
public final class StdinSource extends LineSource {
    private final InputStream in;

    /** Reads {@code columns} from {@code in} (System.in for stdin). */
    public StdinSource(InputStream in, List<String> columns, SourceStats stats) {
        super("stdin", CsvSource.nonEmpty(columns), new DelimitedText("stdin", columns, stats, columns.size()));
        this.in = in;
    }

    @Override
    protected int fill(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        return n < 0 ? -1 : n;
    }

    /** A file keeps its lines: the runner pauses while the ring is full instead of dropping them. */
    @Override
    public boolean waitsWhenFull() {
        return true;
    }

    @Override
    public long read(float[] values, int offset) throws IOException {
        int r = nextLine(values, offset);
        if (r > 0) return System.nanoTime();
        if (r < 0 && !text.headerRead()) {
            throw new org.edgetrain.BadInputException("stdin: no input; expected a header line naming the columns "
                    + String.join(", ", channelNames()) + ", then one line per sample");
        }
        return r < 0 ? END : NO_SAMPLE;
    }
}
