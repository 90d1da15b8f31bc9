package org.edgetrain.ingest.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import org.edgetrain.ingest.Source;

/**
 * What the sources of delimited text lines share (a CSV file, a serial port, stdin): their name and columns, the
 * parser ({@link DelimitedText}) fed by the subclass's {@link #fill}, and for those that read a {@link FileChannel},
 * the read into the parser's buffer without allocating and the close.
 */
public abstract class LineSource implements Source {
    private final String name;
    private final String[] columns;
    protected final DelimitedText text;
    private final DelimitedText.Input input = this::fill;
    private ByteBuffer window;
    /** The open file or device; null when closed (or for a source that reads a stream). */
    protected FileChannel channel;

    /** @param columns the columns to read, in this order (they become the channels) */
    protected LineSource(String name, List<String> columns, DelimitedText text) {
        this.name = name;
        this.columns = columns.toArray(new String[0]);
        this.text = text;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int channels() {
        return columns.length;
    }

    @Override
    public String[] channelNames() {
        return columns.clone();
    }

    /** The parser's next line into {@code values}: above 0 a sample, 0 none yet, below 0 the end of the input. */
    protected final int nextLine(float[] values, int offset) throws IOException {
        return text.next(input, values, offset);
    }

    /**
     * Gives the parser up to {@code len} bytes at {@code buf[off]}: how many, 0 for none yet, -1 at the end.
     */
    protected abstract int fill(byte[] buf, int off, int len) throws IOException;

    /** Reads from {@link #channel} into the parser's buffer: the channel's count (0 or -1 for nothing). */
    protected final int readChannel(byte[] buf, int off, int len) throws IOException {
        if (window == null || window.array() != buf) window = ByteBuffer.wrap(buf); // once: the parser's buffer
        window.limit(off + len).position(off);
        return channel.read(window);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a file or port we only read: nothing to lose
            }
            channel = null;
        }
    }
}
