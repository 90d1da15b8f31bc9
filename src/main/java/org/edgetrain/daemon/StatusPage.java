package org.edgetrain.daemon;

import static org.edgetrain.util.SvgChart.esc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.util.SvgChart;

/**
 * The status page at {@code GET /}: one HTML document with the charts drawn on the server as inline SVG (no scripts,
 * no external assets), reloading itself every few seconds ({@code ?refresh=N}, 1 to 3600; 0 turns it off). Made on
 * the status server's thread at request time from {@link Metrics}, {@link StatusHistory} and the checkpoint directory.
 */
final class StatusPage {
    private final Metrics metrics;
    private final StatusHistory history;
    private final CheckpointStore store;
    private final String title;

    StatusPage(Metrics metrics, StatusHistory history, CheckpointStore store, String title) {
        this.metrics = metrics;
        this.history = history;
        this.store = store;
        this.title = title;
    }

    String render(String query) {
        int refresh = refresh(query);
        metrics.statusPages++; // the status thread is the only writer
        StringBuilder sb = new StringBuilder(32_768);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (refresh > 0) sb.append("<meta http-equiv=\"refresh\" content=\"").append(refresh).append("\">");
        sb.append("<title>edgetrain: ").append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;margin:16px;max-width:1320px}"
                + "svg{border:1px solid #ddd;margin:4px}table{border-collapse:collapse;margin:8px 16px 8px 0;display:inline-table;vertical-align:top}"
                + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}td.n{text-align:right}.bad{color:#b00}</style></head><body>\n");
        ProcessMemory mem = ProcessMemory.read();
        sb.append("<h1>edgetrain: ").append(esc(title)).append("</h1>\n<p id=\"summary\">")
                .append(metrics.training ? "training" : "stopped").append(" · step ").append(metrics.steps)
                .append(" · windows ").append(metrics.windows).append(" · source ")
                .append(metrics.sourceHealthy() ? "up" : "<span class=\"bad\">degraded</span>")
                .append(String.format(Locale.ROOT, " · %.0f samples/s", metrics.samplesPerSecond))
                .append(" · resident ").append(mb(mem.rss())).append(", private ").append(mb(mem.rssAnon())).append("</p>\n");

        long[] x = new long[StatusHistory.POINTS + 1], x2 = new long[StatusHistory.POINTS + 1];
        double[] y = new double[StatusHistory.POINTS + 1], y2 = new double[StatusHistory.POINTS + 1];
        int n = history.loss.copy(x, y), n2 = history.valLoss.copy(x2, y2);
        sb.append(new SvgChart("Loss", "step").line("training loss", x, y, n).points("held-out loss", x2, y2, n2).render());

        n = history.score.copy(x, y);
        n2 = history.threshold.copy(x2, y2);
        SvgChart scores = new SvgChart("Anomaly score", "window").line("score (max per point)", x, y, n).dashed("threshold", x2, y2, n2);
        double[] ep = new double[3 * StatusHistory.EPISODES];
        int episodes = history.episodes(ep);
        for (int i = 0; i < episodes; i++) scores.band(ep[3 * i], ep[3 * i + 1]);
        sb.append(scores.render());

        n = history.gradNorm.copy(x, y);
        sb.append(new SvgChart("Gradient norm", "step").line("global gradient norm", x, y, n).render());

        sb.append("\n<div>");
        table(sb, "Health", new String[][] {
                {"gradient norm", num(metrics.gradNorm)},
                {"median update/weight ratio", num(metrics.updateRatio)},
                {"dead ReLU units (largest layer fraction)", num(metrics.deadFraction)},
                {"saturated units", num(metrics.saturatedFraction)},
                {"learning rate", num(metrics.lr)},
                {"guard rollbacks", Long.toString(metrics.rollbacks)},
                {"held-out loss", num(metrics.valLoss)},
                {"last problem", esc(metrics.lastProblem.isEmpty() ? "none" : metrics.lastProblem)}});
        String[][] src = new String[SourceStats.Counter.values().length][];
        for (SourceStats.Counter c : SourceStats.Counter.values()) src[c.ordinal()] = new String[] {c.label(), Long.toString(metrics.count(c))};
        table(sb, "Source", src);
        String[][] eps = new String[episodes][];
        for (int i = 0; i < episodes; i++) {
            eps[i] = new String[] {String.format(Locale.ROOT, "windows %.0f–%.0f", ep[3 * i], ep[3 * i + 1]), num(ep[3 * i + 2])};
        }
        table(sb, "Anomaly episodes (" + history.episodeCount() + " in all, last " + StatusHistory.EPISODES + " kept)", eps);
        table(sb, "Memory", new String[][] {
                {"resident (VmRSS)", mb(mem.rss())}, {"private (RssAnon)", mb(mem.rssAnon())}, {"proportional (Pss)", mb(mem.pss())},
                {"heap in use", mb(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())},
                {"arena", mb(metrics.arenaBytes)}, {"replay rows", Long.toString(metrics.replayRows)}});
        table(sb, "Checkpoints (" + metrics.checkpoints + " written by this run)", checkpoints());
        sb.append("</div>\n</body></html>\n");
        return sb.toString();
    }

    private String[][] checkpoints() {
        try {
            List<Path> files = store.list();
            String[][] rows = new String[files.size()][];
            for (int i = 0; i < rows.length; i++) {
                Path f = files.get(i);
                rows[i] = new String[] {esc(f.getFileName().toString()), mb(Files.size(f)) + ", " + Files.getLastModifiedTime(f)};
            }
            return rows;
        } catch (IOException e) {
            return new String[][] {{"cannot list " + esc(store.directory().toString()), esc(e.toString())}};
        }
    }

    private static void table(StringBuilder sb, String caption, String[][] rows) {
        sb.append("<table><caption><b>").append(esc(caption)).append("</b></caption>");
        if (rows.length == 0) sb.append("<tr><td>none</td></tr>");
        for (String[] r : rows) sb.append("<tr><td>").append(r[0]).append("</td><td class=\"n\">").append(r[1]).append("</td></tr>");
        sb.append("</table>\n");
    }

    private static int refresh(String query) {
        for (String p : query.split("&")) {
            if (p.startsWith("refresh=")) {
                try {
                    return Math.max(0, Math.min(3600, Integer.parseInt(p.substring(8))));
                } catch (NumberFormatException e) {
                    return 5;
                }
            }
        }
        return 5;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.5g", v);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
