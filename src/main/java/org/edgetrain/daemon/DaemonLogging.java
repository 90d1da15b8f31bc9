package org.edgetrain.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tinylog.configuration.Configuration;
import org.tinylog.provider.ProviderRegistry;

/**
 * The daemon's tinylog setup, applied before anything logs: a rolling file (size policy, gzip backups) written by
 * tinylog's writing thread so a slow SD card never stalls a training step, the console at its own level (warnings to
 * stderr, which journald keeps), Pi4J's board detection quieted. A file named by the system property
 * {@code tinylog.configuration} replaces all of it.
 */
public final class DaemonLogging {
    private DaemonLogging() {
    }

    /**
     * Configures logging for {@code cfg}; returns the file the log goes to, or null when the user's own tinylog
     * configuration is in force (or logging was already running).
     */
    public static Path configure(DaemonConfig cfg) throws java.io.IOException {
        if (System.getProperty("tinylog.configuration") != null || Configuration.isFrozen()) return null;
        Dirs.create(cfg.logDir, cfg.logDir.startsWith(cfg.stateDir) ? Dirs.stateKey(cfg) : "log.dir = " + cfg.logDir, "log directory");
        Path latest = cfg.logDir.resolve("edgetrain.log");
        Map<String, String> c = new LinkedHashMap<>();
        // tinylog's rolling file, wrapped to say a failure (a full disk) once per burst instead of once per flush
        c.put("writer1", BurstQuietFileWriter.class.getName());
        c.put("writer1.level", cfg.level);
        c.put("writer1.file", cfg.logDir.resolve("edgetrain.{count}.log").toString());
        c.put("writer1.latest", latest.toString());
        c.put("writer1.policies", "size: " + cfg.maxSize.replace(" ", ""));
        c.put("writer1.backups", Integer.toString(cfg.backups));
        c.put("writer1.convert", "gzip");
        c.put("writer1.buffered", "true");
        c.put("writer1.format", "{date: yyyy-MM-dd HH:mm:ss.SSS} {level}: {message}");
        if (!cfg.console.equals("off")) {
            c.put("writer2", "console");
            c.put("writer2.level", cfg.console);
            c.put("writer2.format", "{level}: {message}");
        }
        c.put("writingthread", "true");
        c.put("autoshutdown", "false"); // the daemon shuts logging down itself, after its final checkpoint line
        c.put("level@com.pi4j", "warn");
        c.put("level@com.pi4j.boardinfo", "off");
        Configuration.replace(c);
        return latest;
    }

    /** Flushes and closes the writers (the writing thread drains its queue first). */
    public static void shutdown() {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
