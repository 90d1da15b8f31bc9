package org.edgetrain.util;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as one self-contained SVG element (no scripts, no external fonts or styles): for the status page,
 * {@code train --plot} and {@code doctor --plot}. Axes are linear (or log10 on x), ticks at the ends and the middle.
 * The chart's data range and plot box are written as attributes ({@code data-x-min} ... , {@code data-left} ...), so
 * a reader (a test, a browser) can map path coordinates back to values.
 */
public final class SvgChart {
    public static final int WIDTH = 640, HEIGHT = 240;
    private static final int LEFT = 64, RIGHT = WIDTH - 12, TOP = 28, BOTTOM = HEIGHT - 34;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    private record Line(String name, double[] x, double[] y, int n, boolean markers, boolean dashed) { }

    private final String title, xLabel;
    private final List<Line> lines = new ArrayList<>();
    private final List<double[]> bands = new ArrayList<>();
    private boolean logX;

    public SvgChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /** Plots x against y as a logarithmic x axis (the learning-rate range test). */
    public SvgChart logX() {
        logX = true;
        return this;
    }

    public SvgChart line(String name, double[] x, double[] y, int n) {
        lines.add(new Line(name, x, y, n, false, false));
        return this;
    }

    public SvgChart line(String name, long[] x, double[] y, int n) {
        return line(name, toDouble(x, n), y, n);
    }

    /** A dashed line (a threshold). */
    public SvgChart dashed(String name, long[] x, double[] y, int n) {
        lines.add(new Line(name, toDouble(x, n), y, n, false, true));
        return this;
    }

    /** Points with markers as well as a line (sparse series such as the held-out loss). */
    public SvgChart points(String name, long[] x, double[] y, int n) {
        lines.add(new Line(name, toDouble(x, n), y, n, true, false));
        return this;
    }

    /** A shaded span of x (an anomaly episode). */
    public SvgChart band(double from, double to) {
        bands.add(new double[] {from, to});
        return this;
    }

    private static double[] toDouble(long[] x, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = x[i];
        return d;
    }

    public String render() {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (int i = 0; i < l.n; i++) {
                if (!Double.isFinite(l.y[i]) || !Double.isFinite(tx(l.x[i]))) continue;
                x0 = Math.min(x0, tx(l.x[i]));
                x1 = Math.max(x1, tx(l.x[i]));
                y0 = Math.min(y0, l.y[i]);
                y1 = Math.max(y1, l.y[i]);
            }
        }
        StringBuilder sb = new StringBuilder(4096);
        boolean empty = x0 > x1;
        if (empty) {
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) {
            y0 -= Math.abs(y0) * 0.05 + 1e-9;
            y1 += Math.abs(y1) * 0.05 + 1e-9;
        }
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "role=\"img\" aria-label=\"%s\" data-x-min=\"%s\" data-x-max=\"%s\" data-y-min=\"%s\" data-y-max=\"%s\" data-log-x=\"%s\" "
                        + "data-left=\"%d\" data-right=\"%d\" data-top=\"%d\" data-bottom=\"%d\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, esc(title), num(x0), num(x1), num(y0), num(y1), logX, LEFT, RIGHT, TOP, BOTTOM));
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#fff\"/>\n");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\">")
                .append(esc(title)).append("</text>\n");
        for (double[] b : bands) {
            double a = px(tx(b[0]), x0, x1), c = px(tx(b[1]), x0, x1);
            a = Math.max(LEFT, a);
            c = Math.min(RIGHT, Math.max(c, a + 2));
            sb.append(String.format(Locale.ROOT, "<rect class=\"episode\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"#d62728\" fill-opacity=\"0.18\"/>\n",
                    a, TOP, c - a, BOTTOM - TOP));
        }
        // axes and ticks
        sb.append(String.format(Locale.ROOT, "<path d=\"M%d,%dV%dH%d\" stroke=\"#444\" fill=\"none\"/>\n", LEFT, TOP, BOTTOM, RIGHT));
        for (int t = 0; t <= 2; t++) {
            double fy = y0 + (y1 - y0) * t / 2, fx = x0 + (x1 - x0) * t / 2;
            double yy = py(fy, y0, y1), xx = px(fx, x0, x1);
            sb.append(String.format(Locale.ROOT, "<path d=\"M%d,%.2fH%d\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.2f\" font-family=\"sans-serif\" "
                    + "font-size=\"11\" text-anchor=\"end\">%s</text>\n", LEFT, yy, RIGHT, LEFT - 4, yy + 4, label(fy)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"%s\">%s</text>\n",
                    xx, BOTTOM + 14, t == 0 ? "start" : t == 1 ? "middle" : "end", label(logX ? Math.pow(10, fx) : fx)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                (LEFT + RIGHT) / 2, HEIGHT - 4, esc(xLabel)));
        if (empty) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\" fill=\"#888\">"
                    + "no data yet</text>\n", (LEFT + RIGHT) / 2, (TOP + BOTTOM) / 2));
        }
        int legend = LEFT + 16 + 8 * title.length();
        for (int k = 0; k < lines.size(); k++) {
            Line l = lines.get(k);
            String color = COLORS[k % COLORS.length];
            sb.append("<path class=\"series\" data-name=\"").append(esc(l.name)).append("\" stroke=\"").append(color)
                    .append("\" stroke-width=\"1.5\" fill=\"none\"").append(l.dashed ? " stroke-dasharray=\"6 4\"" : "").append(" d=\"");
            boolean first = true;
            for (int i = 0; i < l.n; i++) {
                if (!Double.isFinite(l.y[i]) || !Double.isFinite(tx(l.x[i]))) continue;
                sb.append(first ? 'M' : 'L');
                num2(sb, px(tx(l.x[i]), x0, x1));
                sb.append(',');
                num2(sb, py(l.y[i], y0, y1));
                first = false;
            }
            sb.append("\"/>\n");
            if (l.markers) {
                for (int i = 0; i < l.n; i++) {
                    if (!Double.isFinite(l.y[i])) continue;
                    sb.append("<circle cx=\"");
                    num2(sb, px(tx(l.x[i]), x0, x1));
                    sb.append("\" cy=\"");
                    num2(sb, py(l.y[i], y0, y1));
                    sb.append("\" r=\"2.5\" fill=\"").append(color).append("\"/>");
                }
                sb.append('\n');
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-family=\"sans-serif\" font-size=\"12\" fill=\"%s\">%s</text>\n",
                    legend, color, esc(l.name)));
            legend += 12 + 7 * l.name.length();
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private double tx(double x) {
        return logX ? (x > 0 ? Math.log10(x) : Double.NaN) : x;
    }

    private static double px(double x, double x0, double x1) {
        return LEFT + (x - x0) / (x1 - x0) * (RIGHT - LEFT);
    }

    private static double py(double y, double y0, double y1) {
        return BOTTOM - (y - y0) / (y1 - y0) * (BOTTOM - TOP);
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    /** v with two decimals, as %.2f writes it, without the formatter's cost (a page has a thousand of these). */
    static void num2(StringBuilder sb, double v) {
        long c = Math.round(v * 100);
        if (c < 0) {
            sb.append('-');
            c = -c;
        }
        sb.append(c / 100).append('.');
        long f = c % 100;
        if (f < 10) sb.append('0');
        sb.append(f);
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Escapes text for XML and HTML. */
    public static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\n' && c != '\t' ? '?' : c);
            }
        }
        return sb.toString();
    }
}
