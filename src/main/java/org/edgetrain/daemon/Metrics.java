package org.edgetrain.daemon;

import java.util.Locale;

/**
 * The daemon's numbers, written by the training thread at each log line and read by the status endpoint's thread:
 * plain volatile fields, so a reader sees each value whole (no locks on the training path).
 */
public final class Metrics {
    volatile long steps, samples, dropped, overruns, readErrors, rollbacks, checkpoints;
    volatile double loss = Double.NaN, valLoss = Double.NaN, lr, gradNorm = Double.NaN, samplesPerSecond, score = Double.NaN;
    volatile double updateRatio = Double.NaN, deadFraction = Double.NaN, saturatedFraction = Double.NaN;
    volatile long heapBytes, arenaBytes, replayRows;
    volatile boolean sourceHealthy = true, training;
    volatile String lastProblem = "";

    /** Prometheus text exposition format, version 0.0.4. */
    public String prometheus() {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "edgetrain_steps_total", "optimizer steps taken", steps, true);
        gauge(sb, "edgetrain_samples_total", "samples ingested", samples, true);
        gauge(sb, "edgetrain_dropped_samples_total", "samples dropped by preprocessing (missing values, malformed lines)", dropped, true);
        gauge(sb, "edgetrain_ring_overruns_total", "samples lost because the trainer fell behind the source", overruns, true);
        gauge(sb, "edgetrain_source_read_errors_total", "failed sensor reads", readErrors, true);
        gauge(sb, "edgetrain_guard_rollbacks_total", "steps the guard rolled back", rollbacks, true);
        gauge(sb, "edgetrain_checkpoints_total", "checkpoints written", checkpoints, true);
        gauge(sb, "edgetrain_loss", "training loss (mean since the last log line)", loss, false);
        gauge(sb, "edgetrain_validation_loss", "loss on the held-out slice", valLoss, false);
        gauge(sb, "edgetrain_learning_rate", "learning rate in force", lr, false);
        gauge(sb, "edgetrain_gradient_norm", "global gradient norm before clipping", gradNorm, false);
        gauge(sb, "edgetrain_samples_per_second", "training throughput", samplesPerSecond, false);
        gauge(sb, "edgetrain_update_ratio", "median update-to-weight ratio", updateRatio, false);
        gauge(sb, "edgetrain_dead_unit_fraction", "largest fraction of dead ReLU units in a layer", deadFraction, false);
        gauge(sb, "edgetrain_saturated_fraction", "largest fraction of saturated sigmoid/tanh outputs", saturatedFraction, false);
        gauge(sb, "edgetrain_last_score", "anomaly score or prediction error of the last window", score, false);
        gauge(sb, "edgetrain_heap_used_bytes", "Java heap in use", heapBytes, false);
        gauge(sb, "edgetrain_arena_bytes", "the training arena", arenaBytes, false);
        gauge(sb, "edgetrain_replay_rows", "rows held by the replay buffer", replayRows, false);
        gauge(sb, "edgetrain_source_up", "1 while the source delivers", sourceHealthy ? 1 : 0, false);
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, double v, boolean counter) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(counter ? " counter\n" : " gauge\n");
        sb.append(name).append(' ').append(Double.isNaN(v) ? "NaN" : v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v)).append('\n');
    }

    /** {@code /health}: one line of JSON. */
    public String health() {
        return String.format(Locale.ROOT, "{\"status\":\"%s\",\"training\":%s,\"steps\":%d,\"source_up\":%s,\"last_problem\":\"%s\"}%n",
                sourceHealthy ? "ok" : "degraded", training, steps, sourceHealthy, lastProblem.replace("\"", "'"));
    }
}
