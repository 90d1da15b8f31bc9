package org.edgetrain.daemon;

import java.util.Locale;
import org.edgetrain.ingest.SourceStats;

/**
 * The daemon's numbers for {@code /metrics}, {@code /health} and the status page. Counters and the last step's values
 * are written by the training thread after every step and window (plain volatile fields: primitive writes, no
 * allocation, no locks; a reader sees each value whole). The held-out loss and the health statistics change when they
 * are computed (evaluation, the health monitor's windows); memory, heap and the source's counters are read at scrape
 * time.
 */
public final class Metrics {
    // every step or window
    volatile long steps, windows, anomalies, rollbacks, checkpoints, replayRows;
    volatile double loss = Double.NaN, lr, gradNorm = Double.NaN, score = Double.NaN, threshold = Double.NaN;
    // at evaluations and log lines
    volatile double valLoss = Double.NaN, samplesPerSecond, updateRatio = Double.NaN, deadFraction = Double.NaN,
            saturatedFraction = Double.NaN;
    volatile long arenaBytes;
    /** Status pages made (written by the status thread only): shows a benchmark's browser really polled. */
    volatile long statusPages;
    volatile boolean training;
    volatile String lastProblem = "";
    // read at scrape time
    private volatile SourceStats source;

    /** The source's counters, read at each scrape. */
    void source(SourceStats stats) {
        this.source = stats;
    }

    SourceStats sourceStats() {
        return source;
    }

    long count(SourceStats.Counter c) {
        SourceStats s = source;
        return s == null ? 0 : s.get(c);
    }

    /** 1 while the source delivers: no disconnect, or re-probed since. */
    boolean sourceHealthy() {
        return count(SourceStats.Counter.DISCONNECTS) == 0 || count(SourceStats.Counter.REPROBES) > 0;
    }

    /** Prometheus text exposition format, version 0.0.4. */
    public String prometheus() {
        StringBuilder sb = new StringBuilder(4096);
        Runtime rt = Runtime.getRuntime();
        ProcessMemory mem = ProcessMemory.read();
        gauge(sb, "edgetrain_steps_total", "optimizer steps taken", steps, true);
        gauge(sb, "edgetrain_status_pages_total", "status pages (GET /) made", statusPages, true);
        gauge(sb, "edgetrain_windows_total", "windows scored", windows, true);
        gauge(sb, "edgetrain_anomalies_total", "windows scored above the anomaly threshold", anomalies, true);
        gauge(sb, "edgetrain_samples_total", "samples ingested", count(SourceStats.Counter.SAMPLES), true);
        gauge(sb, "edgetrain_dropped_samples_total", "samples dropped by preprocessing (missing values)", count(SourceStats.Counter.DROPPED_SAMPLES), true);
        gauge(sb, "edgetrain_malformed_lines_total", "input lines that could not be parsed", count(SourceStats.Counter.MALFORMED_LINES), true);
        gauge(sb, "edgetrain_missing_values_total", "missing values replaced or dropped", count(SourceStats.Counter.MISSING_VALUES), true);
        gauge(sb, "edgetrain_outliers_total", "values clipped as outliers", count(SourceStats.Counter.OUTLIERS), true);
        gauge(sb, "edgetrain_ring_overruns_total", "samples lost because the trainer fell behind the source", count(SourceStats.Counter.OVERRUNS), true);
        gauge(sb, "edgetrain_source_read_errors_total", "failed sensor reads", count(SourceStats.Counter.READ_ERRORS), true);
        gauge(sb, "edgetrain_source_disconnects_total", "times the sensor was reported gone", count(SourceStats.Counter.DISCONNECTS), true);
        gauge(sb, "edgetrain_guard_rollbacks_total", "steps the guard rolled back", rollbacks, true);
        gauge(sb, "edgetrain_checkpoints_total", "checkpoints written", checkpoints, true);
        gauge(sb, "edgetrain_loss", "training loss of the last step", loss, false);
        gauge(sb, "edgetrain_validation_loss", "loss on the held-out slice at the last evaluation", valLoss, false);
        gauge(sb, "edgetrain_learning_rate", "learning rate in force", lr, false);
        gauge(sb, "edgetrain_gradient_norm", "global gradient norm before clipping", gradNorm, false);
        gauge(sb, "edgetrain_samples_per_second", "training throughput over the last log interval", samplesPerSecond, false);
        gauge(sb, "edgetrain_update_ratio", "median update-to-weight ratio", updateRatio, false);
        gauge(sb, "edgetrain_dead_unit_fraction", "largest fraction of dead ReLU units in a layer", deadFraction, false);
        gauge(sb, "edgetrain_saturated_fraction", "largest fraction of saturated sigmoid/tanh outputs", saturatedFraction, false);
        gauge(sb, "edgetrain_last_score", "anomaly score or prediction error of the last window", score, false);
        gauge(sb, "edgetrain_anomaly_threshold", "score above which a window is an anomaly", threshold, false);
        gauge(sb, "edgetrain_heap_used_bytes", "Java heap in use", rt.totalMemory() - rt.freeMemory(), false);
        gauge(sb, "edgetrain_resident_bytes", "resident memory (VmRSS)", mem.rss(), false);
        gauge(sb, "edgetrain_private_bytes", "private anonymous resident memory (RssAnon)", mem.rssAnon(), false);
        gauge(sb, "edgetrain_proportional_bytes", "proportional set size (Pss)", mem.pss(), false);
        gauge(sb, "edgetrain_arena_bytes", "the training arena", arenaBytes, false);
        gauge(sb, "edgetrain_replay_rows", "rows held by the replay buffer", replayRows, false);
        gauge(sb, "edgetrain_source_up", "1 while the source delivers", sourceHealthy() ? 1 : 0, false);
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
        boolean up = sourceHealthy();
        return String.format(Locale.ROOT, "{\"status\":\"%s\",\"training\":%s,\"steps\":%d,\"source_up\":%s,\"last_problem\":\"%s\"}%n",
                up ? "ok" : "degraded", training, steps, up, json(lastProblem));
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
