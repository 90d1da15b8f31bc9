package org.edgetrain.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.edgetrain.util.ChunkedIo;

/**
 * Writes a file so that a reader (or a reboot) sees either the old contents or the new, never a mix: write a temp file
 * beside it, fsync it, rename it over the target, fsync the directory. On power loss the worst case is a stray temp
 * file, which the next write replaces.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What goes into the temp file: written from its start through the channel, which is then synced and renamed. */
    public interface Contents {
        void writeTo(FileChannel ch) throws IOException;
    }

    /** Replaces {@code target} with {@code buffers}' remaining bytes, atomically and durably. */
    public static void write(Path target, ByteBuffer... buffers) throws IOException {
        write(target, new Buffers(buffers));
    }

    private record Buffers(ByteBuffer[] buffers) implements Contents {
        @Override
        public void writeTo(FileChannel ch) throws IOException {
            for (ByteBuffer b : buffers) ChunkedIo.writeFully(ch, b);
        }
    }

    /** Replaces {@code target} with what {@code contents} writes, atomically and durably. */
    public static void write(Path target, Contents contents) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = (dir == null ? Path.of(".") : dir).resolve("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                contents.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // a full disk: the half-written temp file would keep it full (and a restarted service in the same state)
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("cannot write " + target + ": " + (why.contains(tmp.toString()) ? why.replace(tmp.toString(), "its temp file") : why), e);
        }
        if (dir != null) syncDirectory(dir);
    }

    private static volatile boolean dirSyncWarned;

    /**
     * fsync of a directory makes the rename itself durable (Linux allows opening a directory for reading). Not every
     * file system allows it: the data is synced anyway, but until the directory reaches the disk a power cut can bring
     * back the old file, so a failure is logged (once per run, not at every checkpoint) rather than passed over.
     *
     * @return whether the directory was synced
     */
    static boolean syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            if (!dirSyncWarned) {
                dirSyncWarned = true;
                org.edgetrain.log.Log.warn("{}: fsync of the directory failed ({}); files written there are complete, but a power cut "
                        + "before the file system flushes it may bring back a file's previous version", dir, e.toString());
            }
            return false;
        }
    }
}
