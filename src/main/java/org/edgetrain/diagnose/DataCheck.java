package org.edgetrain.diagnose;

import org.edgetrain.monitor.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.data.CsvTable;
import org.edgetrain.loss.LossKind;

/**
 * Checks a CSV file the way training will read it, without stopping at the first bad cell: missing and infinite
 * values per column, constant columns, scales standardization would need, labels outside what the loss and the
 * output layer allow, and class imbalance.
 */
public final class DataCheck {
    /** Columns whose spread differs by more than this factor need standardization. */
    public static final double SCALE_RATIO = 1e3;
    /** A class with fewer rows than the largest class divided by this is a problem. */
    public static final double IMBALANCE = 10;
    /** Regression targets whose spread or mean is beyond this factor of 1 are far from unit scale. */
    public static final double TARGET_SCALE = 10;

    private DataCheck() {
    }

    /**
     * @param features    feature columns in order
     * @param labels      label columns
     * @param standardize whether training standardizes the features
     * @param outputs     the network's outputs (classes for cross-entropy)
     */
    public static List<Finding> run(CsvTable t, List<String> features, List<String> labels, LossKind loss, boolean standardize,
                                    int outputs) {
        return run(t, features, labels, loss, standardize, outputs, true);
    }

    /** As above; {@code standardizeTargets} says whether training standardizes regression targets. */
    public static List<Finding> run(CsvTable t, List<String> features, List<String> labels, LossKind loss, boolean standardize,
                                    int outputs, boolean standardizeTargets) {
        List<Finding> out = new ArrayList<>();
        double minStd = Double.POSITIVE_INFINITY, maxStd = 0, maxAbs = 0;
        String minCol = null, maxCol = null;
        for (String f : features) {
            int c = t.column(f);
            Stats s = stats(t, c);
            missing(out, t, f, s, "feature");
            if (s.finite == 0) continue;
            if (s.std == 0) {
                out.add(new Finding(Finding.Kind.DATA, Finding.Severity.NOTE, "column '" + f + "'",
                        "constant (" + num(s.mean) + ") in every row, so it carries no information",
                        "drop it from data.features"));
                continue;
            }
            if (s.std < minStd) {
                minStd = s.std;
                minCol = f;
            }
            if (s.std > maxStd) {
                maxStd = s.std;
                maxCol = f;
            }
            maxAbs = Math.max(maxAbs, s.maxAbs);
        }
        if (!standardize && minCol != null && (maxStd / minStd > SCALE_RATIO || maxAbs > SCALE_RATIO)) {
            out.add(new Finding(Finding.Kind.DATA, Finding.Severity.PROBLEM, "scales",
                    String.format(Locale.ROOT, "features are not standardized and their spreads range from %s ('%s') to %s ('%s'), "
                            + "largest |value| %s", num(minStd), minCol, num(maxStd), maxCol, num(maxAbs)),
                    "data.standardize = true"));
        }
        for (String l : labels) {
            int c = t.column(l);
            Stats s = stats(t, c);
            missing(out, t, l, s, "label");
            labelRange(out, t, l, c, loss, outputs);
            if (!loss.isClassification()) targetScale(out, l, s, standardizeTargets);
            if (loss == LossKind.CROSS_ENTROPY) imbalance(out, t, l, c, outputs);
        }
        return out;
    }

    private record Stats(int finite, int nan, int inf, int firstBadRow, double mean, double std, double maxAbs) { }

    private static Stats stats(CsvTable t, int c) {
        int finite = 0, nan = 0, inf = 0, firstBad = -1;
        double sum = 0, sq = 0, maxAbs = 0;
        for (int r = 0; r < t.rows(); r++) {
            float v = t.value(r, c);
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                if (Float.isNaN(v)) nan++;
                else inf++;
                if (firstBad < 0) firstBad = r;
                continue;
            }
            finite++;
            sum += v;
            sq += (double) v * v;
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double mean = finite == 0 ? Double.NaN : sum / finite;
        double var = finite == 0 ? Double.NaN : Math.max(0, sq / finite - mean * mean);
        double std = Math.sqrt(var);
        if (std < 1e-12 * Math.max(1, Math.abs(mean))) std = 0;
        return new Stats(finite, nan, inf, firstBad, mean, std, maxAbs);
    }

    private static void missing(List<Finding> out, CsvTable t, String col, Stats s, String role) {
        if (s.nan == 0 && s.inf == 0) return;
        String what = s.nan > 0 && s.inf > 0 ? s.nan + " missing (empty or NaN) and " + s.inf + " infinite"
                : s.nan > 0 ? s.nan + " missing (empty or NaN)" : s.inf + " infinite";
        String fix = s.finite == 0 ? "the column has no numbers at all: remove it (data.features) or fix the file"
                : role.equals("label") ? "drop the rows without a label"
                : "fill them (e.g. the column mean, or the last good value for a sensor) or drop those rows; training refuses them";
        out.add(new Finding(Finding.Kind.DATA, Finding.Severity.PROBLEM, "column '" + col + "'",
                String.format(Locale.ROOT, "%s of %d values, first at line %d", what, t.rows(), t.line(s.firstBadRow)), fix));
    }

    private static void labelRange(List<Finding> out, CsvTable t, String col, int c, LossKind loss, int outputs) {
        int bad = 0, first = -1;
        float example = 0;
        for (int r = 0; r < t.rows(); r++) {
            float v = t.value(r, c);
            if (!Float.isFinite(v)) continue;
            boolean ok = switch (loss) {
                case CROSS_ENTROPY -> v == Math.rint(v) && v >= 0 && v < outputs;
                case BCE -> v == 0f || v == 1f;
                default -> true;
            };
            if (!ok) {
                if (first < 0) {
                    first = r;
                    example = v;
                }
                bad++;
            }
        }
        if (bad == 0) return;
        String allowed = loss == LossKind.CROSS_ENTROPY ? "class indices 0.." + (outputs - 1) + " (the model has " + outputs + " outputs)"
                : "0 or 1 for bce";
        out.add(new Finding(Finding.Kind.DATA, Finding.Severity.PROBLEM, "column '" + col + "'",
                String.format(Locale.ROOT, "%d labels outside the output range, first at line %d (%s); allowed: %s", bad, t.line(first),
                        num(example), allowed),
                loss == LossKind.CROSS_ENTROPY ? "number the classes 0..K-1 and end the model with dense(K), or use loss.type = mse for a number"
                        : "use 0/1 targets, or loss.type = mse for numbers"));
    }

    /** A regression target far from unit scale: a problem unless training standardizes it. */
    private static void targetScale(List<Finding> out, String col, Stats s, boolean standardized) {
        if (s.finite == 0 || s.std == 0) return;
        boolean far = s.std > TARGET_SCALE || s.std < 1 / TARGET_SCALE || Math.abs(s.mean) > TARGET_SCALE * Math.max(1, s.std);
        if (!far) return;
        String evidence = String.format(Locale.ROOT, "target mean %s, std %s: far from unit scale", num(s.mean), num(s.std));
        if (standardized) {
            out.add(new Finding(Finding.Kind.DATA, Finding.Severity.NOTE, "column '" + col + "'",
                    evidence + "; training standardizes it (data.standardize_targets) and predictions come back in its units", null));
        } else {
            out.add(new Finding(Finding.Kind.DATA, Finding.Severity.PROBLEM, "column '" + col + "'",
                    evidence + ", so the loss and its gradients are too: clip.norm cuts every step and the fit trails a plain MLP",
                    "data.standardize_targets = true (the default)"));
        }
    }

    private static void imbalance(List<Finding> out, CsvTable t, String col, int c, int outputs) {
        long[] count = new long[outputs];
        for (int r = 0; r < t.rows(); r++) {
            float v = t.value(r, c);
            if (Float.isFinite(v) && v == Math.rint(v) && v >= 0 && v < outputs) count[(int) v]++;
        }
        long max = 0, min = Long.MAX_VALUE;
        int minClass = -1, missingClasses = 0;
        for (int k = 0; k < outputs; k++) {
            max = Math.max(max, count[k]);
            if (count[k] == 0) missingClasses++;
            else if (count[k] < min) {
                min = count[k];
                minClass = k;
            }
        }
        if (missingClasses > 0) {
            out.add(new Finding(Finding.Kind.DATA, Finding.Severity.NOTE, "column '" + col + "'",
                    missingClasses + " of the model's " + outputs + " classes never appear in the data",
                    "collect examples of every class, or make the last layer as wide as the classes you have"));
        }
        if (minClass >= 0 && max >= IMBALANCE * min) {
            out.add(new Finding(Finding.Kind.DATA, Finding.Severity.PROBLEM, "column '" + col + "'",
                    String.format(Locale.ROOT, "label imbalance: class %d has %d rows, the largest class %d (%.0f×)", minClass, min, max,
                            (double) max / min),
                    "collect more of the rare classes or repeat their rows; accuracy alone will look good while the rare classes fail"));
        }
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
