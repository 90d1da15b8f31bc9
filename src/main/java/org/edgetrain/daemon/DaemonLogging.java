package org.edgetrain.daemon;

import java.nio.file.Path;
import org.edgetrain.log.Level;
import org.edgetrain.log.Log;
import org.edgetrain.log.LogSetup;

/**
 * The daemon's logging, set up before anything logs: the rolling file at {@code log.level} (size policy, gzip backups,
 * written by the log's own thread so a slow SD card never stalls a training step) and the console at
 * {@code log.console} (warnings to stderr, which journald keeps).
 */
public final class DaemonLogging {
    private DaemonLogging() {
    }

    /** Configures logging for {@code cfg}; returns the file users open, {@code <log.dir>/edgetrain.log}. */
    public static Path configure(DaemonConfig cfg) throws java.io.IOException {
        Dirs.create(cfg.logDir, cfg.logDir.startsWith(cfg.stateDir) ? Dirs.stateKey(cfg) : "log.dir = " + cfg.logDir, "log directory");
        return LogSetup.daemon(cfg.logDir, Level.named(cfg.level), cfg.maxBytes, cfg.backups, Level.named(cfg.console));
    }

    /** Writes the lines still queued, closes the file and goes back to the CLI's console logging. */
    public static void shutdown() {
        Log.reset();
    }
}
