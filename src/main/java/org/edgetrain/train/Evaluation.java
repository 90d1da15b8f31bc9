package org.edgetrain.train;

import java.util.Locale;

/**
 * Metrics over a dataset: mean loss always; accuracy and a confusion matrix (rows = true class, columns = predicted)
 * for classification; R², MAE and RMSE for regression (averaged over targets). Unused metrics are NaN or null.
 */
public record Evaluation(int rows, double loss, double accuracy, long[][] confusion, double r2, double mae, double rmse) {

    public boolean isClassification() {
        return confusion != null;
    }

    /** One line for progress output, e.g. {@code loss 0.1234  acc 0.9611}. */
    public String summary() {
        if (isClassification()) return String.format(Locale.ROOT, "loss %.4f  acc %.4f", loss, accuracy);
        return String.format(Locale.ROOT, "loss %.4f  r2 %.4f  mae %.4f", loss, r2, mae);
    }

    /** The confusion matrix as a table with class labels. */
    public String confusionTable() {
        if (confusion == null) return "";
        int k = confusion.length;
        StringBuilder sb = new StringBuilder("confusion matrix (rows: true class, columns: predicted)\n");
        sb.append(String.format(Locale.ROOT, "%6s", ""));
        for (int j = 0; j < k; j++) sb.append(String.format(Locale.ROOT, "%6d", j));
        sb.append('\n');
        for (int i = 0; i < k; i++) {
            sb.append(String.format(Locale.ROOT, "%6d", i));
            for (int j = 0; j < k; j++) sb.append(String.format(Locale.ROOT, "%6d", confusion[i][j]));
            sb.append('\n');
        }
        return sb.toString();
    }
}
