package org.edgetrain.train;

import org.edgetrain.loss.LossKind;

/**
 * Accumulates an {@link Evaluation} row by row: the mean loss, and accuracy with a confusion matrix (classification)
 * or R², MAE and RMSE (regression). The fp32 {@link Evaluator} and the fixed-point evaluation both feed it, so the
 * two precisions report their metrics the same way.
 */
public final class EvaluationTally {
    private final LossKind kind;
    private final int targetWidth;
    private final float bceThreshold;
    private final long[][] confusion;
    private final double[] sumT, sumT2, sse, sae;
    private double lossSum;
    private long correct, labels;
    private int rows;

    /**
     * @param classes      outputs of a cross-entropy model (ignored otherwise)
     * @param bceThreshold the score above which a BCE output counts as 1: 0.5 for probabilities, 0 for logits
     */
    public EvaluationTally(LossKind kind, int classes, int targetWidth, float bceThreshold) {
        this.kind = kind;
        this.targetWidth = targetWidth;
        this.bceThreshold = bceThreshold;
        int c = kind == LossKind.CROSS_ENTROPY ? classes : 2;
        this.confusion = kind.isClassification() ? new long[c][c] : null;
        this.sumT = new double[targetWidth];
        this.sumT2 = new double[targetWidth];
        this.sse = new double[targetWidth];
        this.sae = new double[targetWidth];
    }

    /** A batch's mean loss over {@code n} rows. */
    public void addLoss(double meanLoss, int n) {
        lossSum += meanLoss * n;
        rows += n;
    }

    /** One row: its scores (probabilities, logits or values) at {@code so}, its targets at {@code to}. */
    public void addRow(float[] scores, int so, float[] targets, int to) {
        if (kind == LossKind.CROSS_ENTROPY) {
            int truth = (int) targets[to];
            int guess = Evaluator.argmax(scores, so, confusion.length);
            confusion[truth][guess]++;
            if (truth == guess) correct++;
            labels++;
        } else if (kind == LossKind.BCE) {
            for (int j = 0; j < targetWidth; j++) {
                int truth = targets[to + j] > 0.5f ? 1 : 0;
                int guess = scores[so + j] > bceThreshold ? 1 : 0;
                confusion[truth][guess]++;
                if (truth == guess) correct++;
                labels++;
            }
        } else {
            for (int j = 0; j < targetWidth; j++) {
                double tv = targets[to + j], e = scores[so + j] - tv;
                sumT[j] += tv;
                sumT2[j] += tv * tv;
                sse[j] += e * e;
                sae[j] += Math.abs(e);
            }
        }
    }

    public Evaluation result() {
        double meanLoss = rows == 0 ? Double.NaN : lossSum / rows;
        if (kind.isClassification()) {
            return new Evaluation(rows, meanLoss, labels == 0 ? Double.NaN : (double) correct / labels, confusion,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        double r2 = 0, mae = 0, mse = 0;
        for (int j = 0; j < targetWidth; j++) {
            double sst = sumT2[j] - sumT[j] * sumT[j] / rows;
            r2 += sst > 0 ? 1 - sse[j] / sst : Double.NaN;
            mae += sae[j] / rows;
            mse += sse[j] / rows;
        }
        return new Evaluation(rows, meanLoss, Double.NaN, null, r2 / targetWidth, mae / targetWidth, Math.sqrt(mse / targetWidth));
    }
}
