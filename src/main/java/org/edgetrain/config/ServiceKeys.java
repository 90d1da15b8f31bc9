package org.edgetrain.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The keys of the service's own sections ({@code [daemon]}, {@code [log]}, {@code [fleet]}), listed here so that
 * {@link RunConfig#KEYS} knows every key without {@code config} reaching up into {@code daemon} or {@code fleet}.
 * {@code daemon.DaemonConfig} and {@code fleet.FleetConfig} read these sections and name these lists as their own.
 */
public final class ServiceKeys {
    /** {@code [daemon]} and {@code [log]}: edgetrain run. */
    public static final Map<String, Set<String>> DAEMON;
    /** {@code [fleet]}: the fleet API (Flower ClientApp beside the daemon). */
    public static final Map<String, Set<String>> FLEET;

    static {
        Map<String, Set<String>> daemon = new LinkedHashMap<>();
        daemon.put("daemon", Set.of("state_dir", "checkpoint_every", "checkpoint_seconds", "keep", "replay", "replay_in_checkpoint",
                "step_every", "holdout", "holdout_rows", "eval_every", "log_every", "output", "output_path", "anomaly_sigma",
                "status_port", "status_address", "status_token", "max_steps", "memory_budget", "guard", "heap", "jvm_options"));
        daemon.put("log", Set.of("dir", "console", "level", "max_size", "backups"));
        Map<String, Set<String>> fleet = new LinkedHashMap<>();
        fleet.put("fleet", Set.of("port", "token_file", "train_timeout_s", "max_request_bytes"));
        daemon.putAll(fleet);
        DAEMON = Collections.unmodifiableMap(daemon);
        FLEET = Collections.unmodifiableMap(fleet);
    }

    private ServiceKeys() {
    }
}
