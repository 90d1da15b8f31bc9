package org.edgetrain.daemon;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgetrain.BadInputException;

/**
 * Creates the daemon's directories at start, and names the config key when it cannot: a state directory that is a
 * file, or one the service user may not write, once gave {@code java.nio.file.FileSystemException} with exit 1, or
 * (with the log elsewhere) a daemon that trained for ever without a checkpoint.
 */
public final class Dirs {
    private Dirs() {
    }

    /**
     * Creates {@code dir} (and its parents) if missing.
     *
     * @param key the setting to change, with its value, e.g. {@code "log.dir = /var/log/x"}
     * @param what what the directory is for, e.g. "log directory"
     * @throws BadInputException naming the key, the directory and why
     */
    public static void create(Path dir, String key, String what) {
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) throw new AccessDeniedException(dir.toString());
        } catch (FileSystemException e) {
            String why = e instanceof FileAlreadyExistsException ? "a file is in the way"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new BadInputException(key + ": cannot create the " + what + " " + dir + " (" + why + ": " + e.getFile()
                    + "); expected a directory the daemon can write");
        } catch (java.io.IOException e) {
            throw new BadInputException(key + ": cannot create the " + what + " " + dir + " (" + e.getMessage() + ")");
        }
    }

    /** The key that sets the state directory, with its value. */
    public static String stateKey(DaemonConfig dc) {
        return "daemon.state_dir (--state-dir) = " + dc.stateDir;
    }
}
