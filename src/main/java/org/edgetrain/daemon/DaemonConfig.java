package org.edgetrain.daemon;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.ConfigValues;
import org.edgetrain.config.ServiceKeys;
import org.edgetrain.fleet.FleetConfig;

/**
 * The {@code [daemon]} and {@code [log]} sections: where state and logs go, how often the daemon steps, evaluates,
 * logs and checkpoints, the replay buffer, outputs, the status endpoint and the memory budget. A board profile may set
 * {@code daemon.memory_budget}; the config's own keys win.
 */
public final class DaemonConfig {
    /** Every key each section allows ([daemon], [log], [fleet]), kept in config.ServiceKeys so config needs no daemon import. */
    public static final Map<String, Set<String>> KEYS = ServiceKeys.DAEMON;

    public enum Output { LOG, STDOUT, CSV, MQTT, OFF }

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
    /** Null for the default address until the status page asks: resolving it loads InetAddress (~30 classes). */
    private final java.net.InetAddress statusAddress;
    final String statusToken;
    final long maxSteps;
    final long memoryBudget;
    final boolean guard;
    final Path logDir;
    final String console;
    final String level;
    /** {@code log.max_size} in bytes. */
    final long maxBytes;
    final int backups;
    final FleetConfig fleet;
    /** {@code [mqtt]} when {@code output = mqtt}, else null. */
    final org.edgetrain.config.MqttConfig mqtt;


    /** Reads the sections from the config and, for keys it does not set, from the board profile (may be null). */
    public DaemonConfig(ConfigFile file, ConfigFile board) {
        ConfigValues v = new ConfigValues(file, board);
        stateDir = v.path("daemon.state_dir", "edgetrain-state");
        checkpointEvery = v.longIn("daemon.checkpoint_every", 2000, 1, Long.MAX_VALUE);
        checkpointSeconds = v.longIn("daemon.checkpoint_seconds", 300, 1, 86_400 * 7);
        keep = v.intIn("daemon.keep", 3, 1, 100);
        replay = v.intIn("daemon.replay", 2048, 1, 10_000_000);
        replayInCheckpoint = v.bool("daemon.replay_in_checkpoint", true);
        stepEvery = v.intIn("daemon.step_every", 1, 1, 1_000_000);
        holdout = v.intIn("daemon.holdout", 10, 2, 1_000_000);
        holdoutRows = v.intIn("daemon.holdout_rows", 256, 1, 1_000_000);
        evalEvery = v.longIn("daemon.eval_every", 1000, 1, Long.MAX_VALUE);
        logEvery = v.longIn("daemon.log_every", 500, 1, Long.MAX_VALUE);
        String out = v.word("daemon.output", "log");
        output = switch (out) {
            case "log" -> Output.LOG;
            case "stdout" -> Output.STDOUT;
            case "csv" -> Output.CSV;
            case "mqtt" -> Output.MQTT;
            case "off" -> Output.OFF;
            default -> throw v.error("daemon.output", out, "log, stdout, csv, mqtt, off");
        };
        String op = v.text("daemon.output_path", "");
        if (output == Output.CSV && op.isEmpty()) throw v.error("daemon.output_path", "", "a file path (needed with output = csv)");
        outputPath = op.isEmpty() ? null : v.path("daemon.output_path", op);
        anomalySigma = v.doubleIn("daemon.anomaly_sigma", 4, 0.5, 1000);
        statusPort = v.intIn("daemon.status_port", 0, 0, 65_535);
        String address = v.text("daemon.status_address", DEFAULT_ADDRESS);
        statusAddress = address.equals(DEFAULT_ADDRESS) ? null : address(v, address);
        statusToken = v.text("daemon.status_token", "");
        if (statusAddress != null && !statusAddress.isLoopbackAddress() && statusToken.length() < 16) {
            throw v.error("daemon.status_token", statusToken.isEmpty() ? "nothing" : "a token of " + statusToken.length() + " characters",
                    "a token of at least 16 characters (needed when daemon.status_address " + address + " is not a loopback address)");
        }
        maxSteps = v.longIn("daemon.max_steps", 0, 0, Long.MAX_VALUE);
        memoryBudget = v.bytes("daemon.memory_budget", 0);
        guard = v.bool("daemon.guard", true);
        logDir = v.path("log.dir", stateDir.resolve("logs").toString());
        console = v.word("log.console", "info");
        if (!Set.of("trace", "debug", "info", "warn", "error", "off").contains(console)) {
            throw v.error("log.console", console, "trace, debug, info, warn, error, off");
        }
        level = v.word("log.level", "info");
        if (!Set.of("trace", "debug", "info", "warn", "error").contains(level)) throw v.error("log.level", level, "trace, debug, info, warn, error");
        String maxSize = v.word("log.max_size", "10mb");
        maxBytes = isSize(maxSize) ? bytes(maxSize) : -1;
        if (maxBytes < 0) throw v.error("log.max_size", maxSize, "a size like 10mb or 512kb");
        backups = v.intIn("log.backups", 5, 0, 1000);
        fleet = new FleetConfig(file, board);
        mqtt = output == Output.MQTT ? org.edgetrain.config.MqttConfig.of(file) : null;
    }

    private static final String DEFAULT_ADDRESS = "127.0.0.1";

    /** The address the status page listens on (loopback unless daemon.status_address says otherwise). */
    java.net.InetAddress statusAddress() {
        if (statusAddress != null) return statusAddress;
        try {
            return java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // only for an array that is neither 4 nor 16 bytes long
        }
    }

    /**
     * {@code s.matches("\\d+\\s*(kb|mb|gb)")}, written out: the daemon's path compiles no java.util.regex.Pattern
     * (~50 classes and the lambda machinery; DaemonClassLoadTest).
     */
    static boolean isSize(String s) {
        return unitAt(s) > 0 && unit(s.substring(unitAt(s))) > 0;
    }

    /** A size {@link #isSize} accepts, in bytes; -1 when it does not fit in a long. */
    static long bytes(String s) {
        int at = unitAt(s);
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, at).strip()), unit(s.substring(at)));
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }

    /** Where the unit starts: after the leading digits and the whitespace behind them; 0 without digits. */
    private static int unitAt(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == 0) return 0;
        while (i < s.length() && " \t\n\u000B\f\r".indexOf(s.charAt(i)) >= 0) i++;
        return i;
    }

    private static long unit(String unit) {
        return switch (unit) {
            case "kb" -> 1024L;
            case "mb" -> 1024L * 1024;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
    }

    /** A literal IPv4 or IPv6 address (no name lookups: a service must not wait on DNS to start). */
    private static java.net.InetAddress address(ConfigValues v, String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            throw v.error("daemon.status_address", text, "a literal IP address such as 127.0.0.1, 0.0.0.0 or ::1");
        }
        try {
            return java.net.InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw v.error("daemon.status_address", text, "a literal IP address such as 127.0.0.1, 0.0.0.0 or ::1");
        }
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
