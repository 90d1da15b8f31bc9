package org.edgetrain.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whole-file reads and writes through a channel in pieces of at most {@value #PIECE} bytes. A channel given a heap
 * buffer copies it through a temporary direct buffer as large as what is left in it, and the JDK keeps that native
 * buffer cached on the thread for good ({@code sun.nio.ch.Util}; no limit unless {@code jdk.nio.maxCachedBufferSize}
 * is set): the daemon's first 1.8 MB checkpoint left 1.6 MB more resident until it exited (x86-64, NMT "Other"), and
 * {@code Files.readAllBytes} of a checkpoint or the native library does the same. In pieces, the cached buffer stays
 * at {@value #PIECE} bytes.
 */
public final class ChunkedIo {
    static final int PIECE = 64 * 1024;

    private ChunkedIo() {
    }

    /** Writes all of {@code b}'s remaining bytes. */
    public static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        int end = b.limit();
        try {
            while (b.position() < end) {
                b.limit(Math.min(end, b.position() + PIECE));
                while (b.hasRemaining()) ch.write(b);
            }
        } finally {
            b.limit(end);
        }
    }

    /** The file's bytes, as {@link Files#readAllBytes} reads them (the same exceptions for a missing or unreadable file). */
    public static byte[] readAllBytes(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) throw new IOException(file + ": " + size + " bytes, too large to read into memory");
            byte[] all = new byte[(int) size];
            ByteBuffer b = ByteBuffer.wrap(all);
            while (b.position() < all.length) {
                b.limit(Math.min(all.length, b.position() + PIECE));
                if (ch.read(b) < 0) return Arrays.copyOf(all, b.position()); // it shrank while read
            }
            return all;
        }
    }
}
