package org.edgetrain.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.edgetrain.io.Checkpoint;
import org.edgetrain.io.FormatException;
import org.edgetrain.log.Log;

/**
 * A directory of checkpoints named by step ({@code checkpoint-000000012345.ckpt}), the newest {@code keep} kept. Writing
 * is atomic (temp file, fsync, rename, fsync of the directory) and refuses a model with non-finite values; loading
 * takes the newest checkpoint that reads back with a valid CRC and falls back, with a warning, past damaged ones.
 */
public final class CheckpointStore {
    private static final String PREFIX = "checkpoint-";
    private static final String SUFFIX = ".ckpt";
    private static final int DIGITS = 12;
    private final Path dir;
    private final int keep;

    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1");
        this.dir = dir;
        this.keep = keep;
    }

    public Path directory() {
        return dir;
    }

    public Path fileFor(long step) {
        return dir.resolve("checkpoint-" + org.edgetrain.util.Decimal.zeroPadded(step, 12) + ".ckpt");
    }

    /**
     * Writes the checkpoint of {@code step} and deletes all but the newest {@code keep}.
     *
     * @return the file, or null when the checkpoint holds a non-finite value (nothing is written then)
     */
    public Path write(Checkpoint c, long step) throws IOException {
        if (!c.allFinite()) {
            Log.warn("checkpoint at step {} not written: the model holds a non-finite value; the previous checkpoint stays", step);
            return null;
        }
        Files.createDirectories(dir);
        Path f = fileFor(step);
        c.write(f);
        List<Path> all = list();
        for (int i = keep; i < all.size(); i++) Files.deleteIfExists(all.get(i));
        return f;
    }

    /** Checkpoint files, newest first. */
    public List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        // File.list, not a glob or Files.newDirectoryStream: a glob compiles a java.util.regex.Pattern (~50 classes), a
        // directory stream brings ~15 more (its locks and iterators); the daemon lists this folder at start and per checkpoint
        String[] names = dir.toFile().list();
        if (names == null) throw new IOException(dir + ": cannot list the checkpoint directory");
        for (String name : names) {
            Path p = dir.resolve(name);
            if (stepOf(p) >= 0) out.add(p);
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /** The step in a name {@code checkpoint-<12 digits>.ckpt}, or -1 for any other file. */
    static long stepOf(Path p) {
        String name = p.getFileName().toString();
        if (name.length() != PREFIX.length() + DIGITS + SUFFIX.length() || !name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) return -1;
        long step = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            step = step * 10 + (c - '0');
        }
        return step;
    }

    private static final Comparator<Path> NEWEST_FIRST = new NewestFirst();

    /** A class, not a lambda: the daemon's path bootstraps no lambda (DaemonClassLoadTest). */
    private static final class NewestFirst implements Comparator<Path> {
        @Override
        public int compare(Path a, Path b) {
            return Long.compare(stepOf(b), stepOf(a));
        }
    }

    /** A checkpoint that read back intact, and its file. */
    public record Loaded(Checkpoint checkpoint, Path file, long step) { }

    /**
     * The newest checkpoint that reads back intact (and that {@code accept} does not reject), or null when there is
     * none. Damaged or rejected files are skipped with a warning naming the file and the problem; {@code accept} may
     * also reject one by throwing (its message is the warning).
     */
    public Loaded latestValid(java.util.function.Predicate<Checkpoint> accept) throws IOException {
        for (Path p : list()) {
            try {
                Checkpoint c = Checkpoint.read(p);
                if (!c.allFinite()) {
                    Log.warn("skipping checkpoint {}: it holds a non-finite value", p);
                    continue;
                }
                if (!accept.test(c)) continue;
                return new Loaded(c, p, stepOf(p));
            } catch (FormatException e) {
                Log.warn("skipping damaged checkpoint: {}; falling back to the previous one", e.getMessage());
            } catch (RuntimeException e) {
                // the CRC held but the contents do not fit (accept checks them): as damaged, never a crash at start
                Log.warn("skipping checkpoint {}: {}; falling back to the previous one", p,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        return null;
    }
}
