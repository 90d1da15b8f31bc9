package org.edgetrain.daemon;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.config.ConfigFile;

/**
 * The {@code [daemon]} and {@code [log]} sections: where state and logs go, how often the daemon steps, evaluates,
 * logs and checkpoints, the replay buffer, outputs, the status endpoint and the memory budget. A board profile may set
 * {@code daemon.memory_budget}; the config's own keys win.
 */
public final class DaemonConfig {
    /** Every key each section allows (merged into the config file's known keys). */
    public static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("daemon", Set.of("state_dir", "checkpoint_every", "checkpoint_seconds", "keep", "replay", "replay_in_checkpoint",
                "step_every", "holdout", "holdout_rows", "eval_every", "log_every", "output", "output_path", "anomaly_sigma",
                "status_port", "max_steps", "memory_budget", "guard", "heap", "jvm_options"));
        KEYS.put("log", Set.of("dir", "console", "level", "max_size", "backups"));
    }

    public enum Output { LOG, STDOUT, CSV, OFF }

    final Path stateDir;
    final long checkpointEvery;
    final long checkpointSeconds;
    final int keep;
    final int replay;
    final boolean replayInCheckpoint;
    final int stepEvery;
    final int holdout;
    final int holdoutRows;
    final long evalEvery;
    final long logEvery;
    final Output output;
    final Path outputPath;
    final double anomalySigma;
    final int statusPort;
    final long maxSteps;
    final long memoryBudget;
    final boolean guard;
    final Path logDir;
    final String console;
    final String level;
    final String maxSize;
    final int backups;

    private final ConfigFile file;

    /** Reads the sections from the config and, for keys it does not set, from the board profile (may be null). */
    public DaemonConfig(ConfigFile file, ConfigFile board) {
        this.file = file;
        stateDir = Path.of(str("daemon.state_dir", "edgetrain-state", board));
        checkpointEvery = num("daemon.checkpoint_every", 2000, 1, Long.MAX_VALUE, board);
        checkpointSeconds = num("daemon.checkpoint_seconds", 300, 1, 86_400 * 7, board);
        keep = (int) num("daemon.keep", 3, 1, 100, board);
        replay = (int) num("daemon.replay", 2048, 1, 10_000_000, board);
        replayInCheckpoint = bool("daemon.replay_in_checkpoint", true, board);
        stepEvery = (int) num("daemon.step_every", 1, 1, 1_000_000, board);
        holdout = (int) num("daemon.holdout", 10, 2, 1_000_000, board);
        holdoutRows = (int) num("daemon.holdout_rows", 256, 1, 1_000_000, board);
        evalEvery = num("daemon.eval_every", 1000, 1, Long.MAX_VALUE, board);
        logEvery = num("daemon.log_every", 500, 1, Long.MAX_VALUE, board);
        String out = str("daemon.output", "log", board).toLowerCase(Locale.ROOT);
        output = switch (out) {
            case "log" -> Output.LOG;
            case "stdout" -> Output.STDOUT;
            case "csv" -> Output.CSV;
            case "off" -> Output.OFF;
            default -> throw error("daemon.output", out, "log, stdout, csv, off");
        };
        String op = str("daemon.output_path", "", board);
        if (output == Output.CSV && op.isEmpty()) throw error("daemon.output_path", "", "a file path (needed with output = csv)");
        outputPath = op.isEmpty() ? null : Path.of(op);
        anomalySigma = dbl("daemon.anomaly_sigma", 4, 0.5, 1000, board);
        statusPort = (int) num("daemon.status_port", 0, 0, 65_535, board);
        maxSteps = num("daemon.max_steps", 0, 0, Long.MAX_VALUE, board);
        memoryBudget = bytes("daemon.memory_budget", 0, board);
        guard = bool("daemon.guard", true, board);
        logDir = Path.of(str("log.dir", stateDir.resolve("logs").toString(), board));
        console = str("log.console", "info", board).toLowerCase(Locale.ROOT);
        if (!Set.of("trace", "debug", "info", "warn", "error", "off").contains(console)) {
            throw error("log.console", console, "trace, debug, info, warn, error, off");
        }
        level = str("log.level", "info", board).toLowerCase(Locale.ROOT);
        if (!Set.of("trace", "debug", "info", "warn", "error").contains(level)) throw error("log.level", level, "trace, debug, info, warn, error");
        maxSize = str("log.max_size", "10mb", board).toLowerCase(Locale.ROOT);
        if (!maxSize.matches("\\d+\\s*(kb|mb|gb)")) throw error("log.max_size", maxSize, "a size like 10mb or 512kb");
        backups = (int) num("log.backups", 5, 0, 1000, board);
    }

    private ConfigFile.Entry entry(String key, ConfigFile board) {
        ConfigFile.Entry e = file.get(key);
        if (e == null && board != null) e = board.get(key);
        return e;
    }

    private String str(String key, String dflt, ConfigFile board) {
        ConfigFile.Entry e = entry(key, board);
        return e == null ? dflt : e.value().strip();
    }

    private boolean bool(String key, boolean dflt, ConfigFile board) {
        String v = str(key, Boolean.toString(dflt), board).toLowerCase(Locale.ROOT);
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw error(key, v, "true, false");
    }

    private long num(String key, long dflt, long min, long max, ConfigFile board) {
        String v = str(key, Long.toString(dflt), board).replace("_", "");
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw error(key, v, "a whole number" + (max == Long.MAX_VALUE ? " >= " + min : " in [" + min + ", " + max + "]"));
        }
    }

    private double dbl(String key, double dflt, double min, double max, ConfigFile board) {
        String v = str(key, Double.toString(dflt), board);
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw error(key, v, "a number in [" + min + ", " + max + "]");
        }
    }

    /** {@code 64m}, {@code 512k}, {@code 1g} or plain bytes; 0 means no budget. */
    private long bytes(String key, long dflt, ConfigFile board) {
        String v = str(key, Long.toString(dflt), board).toLowerCase(Locale.ROOT).replace("_", "");
        long mult = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            mult = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) throw new NumberFormatException();
            return n * mult;
        } catch (NumberFormatException e) {
            throw error(key, v, "bytes, e.g. 64m, 512k or 0 (no budget)");
        }
    }

    private BadInputException error(String key, String found, String allowed) {
        ConfigFile.Entry e = file.get(key);
        String where = e != null ? file.source() + ":" + e.line() : file.source() + " (board profile)";
        return new BadInputException(where + ": key " + key + ": found '" + found + "'; allowed: " + allowed);
    }

    public Path stateDir() {
        return stateDir;
    }

    public long maxSteps() {
        return maxSteps;
    }

    public Path logDir() {
        return logDir;
    }
}
