package org.edgetrain.data;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.loss.LossKind;
import org.edgetrain.train.Dataset;

/**
 * Turns a {@link CsvTable} into a {@link Dataset}: picks the feature and label columns and checks every cell for what
 * training needs, with an error that names the file, line and column: finite numbers, class indices in range for
 * cross-entropy, 0/1 for BCE.
 */
public final class DataLoader {
    private DataLoader() {
    }

    /**
     * @param features feature columns, or null for every column that is not a label
     * @param labels   label/target columns
     * @param loss     decides what a valid label is
     * @param outputs  network outputs (the number of classes for cross-entropy)
     */
    public static Dataset load(CsvTable t, List<String> features, List<String> labels, LossKind loss, int outputs) {
        List<String> feats = features != null ? features : others(t, labels);
        int[] fc = columns(t, feats, "feature");
        int[] lc = columns(t, labels, "label");
        if (feats.isEmpty()) throw new BadInputException(t.file() + ": no feature columns left besides the label columns " + labels);
        if (loss == LossKind.CROSS_ENTROPY && labels.size() != 1) {
            throw new BadInputException(t.file() + ": cross_entropy needs exactly one label column (class indices), data.label names "
                    + labels.size() + ": " + labels);
        }
        int rows = requireRows(t);
        float[] x = new float[rows * fc.length];
        float[] y = new float[rows * lc.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < fc.length; j++) x[r * fc.length + j] = finite(t, r, fc[j]);
            for (int j = 0; j < lc.length; j++) y[r * lc.length + j] = label(t, r, lc[j], loss, outputs);
        }
        return new Dataset(t.file().toString(), feats, labels, x, y, rows);
    }

    /** Features only, in the given order (for prediction, where labels may be absent). */
    /** A header without rows is bad input here, not "no rows to train on" deep in training or an accuracy of NaN. */
    private static int requireRows(CsvTable t) {
        if (t.rows() == 0) throw new BadInputException(t.file() + ": a header and no data rows; expected at least one row of numbers");
        return t.rows();
    }

    public static Dataset features(CsvTable t, List<String> features) {
        int[] fc = columns(t, features, "feature");
        float[] x = new float[requireRows(t) * fc.length];
        for (int r = 0; r < t.rows(); r++) {
            for (int j = 0; j < fc.length; j++) x[r * fc.length + j] = finite(t, r, fc[j]);
        }
        return new Dataset(t.file().toString(), features, List.of(), x, new float[0], t.rows());
    }

    private static List<String> others(CsvTable t, List<String> labels) {
        List<String> out = new ArrayList<>();
        for (String h : t.header()) if (!labels.contains(h)) out.add(h);
        return out;
    }

    private static int[] columns(CsvTable t, List<String> names, String role) {
        int[] c = new int[names.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = t.column(names.get(i));
            if (c[i] < 0) {
                throw new BadInputException(t.file() + ": no " + role + " column '" + names.get(i) + "'; " + headerHint(t.header(), names.get(i)));
            }
        }
        return c;
    }

    /**
     * What the header offers instead of a missing column: a near spelling if there is one, and the columns, the first
     * 8 and the last 3 of a long header (a label is often the last column, which a plain prefix never shows).
     */
    public static String headerHint(List<String> header, String missing) {
        String near = org.edgetrain.util.Nearest.of(missing, header);
        String cols = header.size() <= 12 ? String.join(", ", header)
                : String.join(", ", header.subList(0, 8)) + ", … " + String.join(", ", header.subList(header.size() - 3, header.size()))
                        + " (" + header.size() + " columns)";
        return (near != null ? "did you mean '" + near + "'? " : "") + "the header has: " + cols;
    }

    private static float finite(CsvTable t, int r, int c) {
        float v = t.value(r, c);
        if (!Float.isFinite(v)) {
            throw new BadInputException(t.file() + ":" + t.line(r) + ": column '" + t.header().get(c) + "': found "
                    + (Float.isNaN(v) ? "a missing value (empty or NaN)" : "an infinite value")
                    + ", expected a finite number (fill or drop the row; `edgetrain doctor` checks a whole file)");
        }
        return v;
    }

    private static float label(CsvTable t, int r, int c, LossKind loss, int outputs) {
        float v = finite(t, r, c);
        if (loss == LossKind.CROSS_ENTROPY && (v != Math.rint(v) || v < 0 || v >= outputs)) {
            throw new BadInputException(t.file() + ":" + t.line(r) + ": column '" + t.header().get(c) + "': found " + fmt(v)
                    + ", expected a class index 0.." + (outputs - 1) + " (the model has " + outputs + " outputs)");
        }
        if (loss == LossKind.BCE && v != 0f && v != 1f) {
            throw new BadInputException(t.file() + ":" + t.line(r) + ": column '" + t.header().get(c) + "': found " + fmt(v)
                    + ", expected 0 or 1 for loss bce");
        }
        return v;
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v);
    }
}
