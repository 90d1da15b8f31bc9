package org.edgetrain.fixed;

import org.edgetrain.loss.LossKind;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Evaluation;

/**
 * Metrics of a fixed-point network over a dataset, from its int16 forward in evaluation mode: the loss on the
 * dequantized logits, and accuracy with a confusion matrix (classification) or R², MAE and RMSE (regression), as
 * {@link org.edgetrain.train.Evaluator} reports them for fp32.
 */
final class FixedEvaluation {
    private FixedEvaluation() {
    }

    static Evaluation run(FixedTrainer t, Dataset d) {
        int batch = t.network().batchCapacity(), in = t.network().inputWidth(), n = t.network().lossWidth();
        int tw = t.targetWidth();
        if (d.features() != in || d.targetWidth() != tw) {
            throw new IllegalArgumentException(d.source() + ": " + d.features() + " features and " + d.targetWidth()
                    + " targets, the model needs " + in + " and " + tw);
        }
        LossKind kind = t.spec().loss();
        boolean classification = kind.isClassification();
        int classes = kind == LossKind.CROSS_ENTROPY ? n : 2;
        long[][] confusion = classification ? new long[classes][classes] : null;
        float[] f = t.arena().data();
        int z = t.logitsOffset();
        float[] targets = new float[batch * tw];
        double lossSum = 0;
        long correct = 0, labels = 0;
        double[] sumT = new double[tw], sumT2 = new double[tw], sse = new double[tw], sae = new double[tw];
        for (int from = 0; from < d.rows(); from += batch) {
            int rows = Math.min(batch, d.rows() - from);
            t.inferBatch(d.x(), from * in, rows);
            System.arraycopy(d.y(), from * tw, targets, 0, rows * tw);
            lossSum += (double) t.loss().value(concat(f, z, rows * n, targets, rows * tw), 0, rows * n, rows, n) * rows;
            for (int r = 0; r < rows; r++) {
                if (kind == LossKind.CROSS_ENTROPY) {
                    int truth = (int) targets[r], guess = 0;
                    for (int j = 1; j < n; j++) if (f[z + r * n + j] > f[z + r * n + guess]) guess = j;
                    confusion[truth][guess]++;
                    if (truth == guess) correct++;
                    labels++;
                } else if (kind == LossKind.BCE) {
                    for (int j = 0; j < tw; j++) {
                        int truth = targets[r * tw + j] > 0.5f ? 1 : 0, guess = f[z + r * n + j] > 0f ? 1 : 0;
                        confusion[truth][guess]++;
                        if (truth == guess) correct++;
                        labels++;
                    }
                } else {
                    for (int j = 0; j < tw; j++) {
                        double tv = targets[r * tw + j], e = f[z + r * n + j] - tv;
                        sumT[j] += tv;
                        sumT2[j] += tv * tv;
                        sse[j] += e * e;
                        sae[j] += Math.abs(e);
                    }
                }
            }
        }
        int rowsTotal = d.rows();
        double meanLoss = rowsTotal == 0 ? Double.NaN : lossSum / rowsTotal;
        if (classification) {
            return new Evaluation(rowsTotal, meanLoss, labels == 0 ? Double.NaN : (double) correct / labels, confusion, Double.NaN,
                    Double.NaN, Double.NaN);
        }
        double r2 = 0, mae = 0, mse = 0;
        for (int j = 0; j < tw; j++) {
            double sst = sumT2[j] - sumT[j] * sumT[j] / rowsTotal;
            r2 += sst > 0 ? 1 - sse[j] / sst : Double.NaN;
            mae += sae[j] / rowsTotal;
            mse += sse[j] / rowsTotal;
        }
        return new Evaluation(rowsTotal, meanLoss, Double.NaN, null, r2 / tw, mae / tw, Math.sqrt(mse / tw));
    }

    /** Logits then targets in one array, the layout {@link org.edgetrain.loss.Loss#value} reads. */
    private static float[] concat(float[] f, int z, int nz, float[] t, int nt) {
        float[] out = new float[nz + nt];
        System.arraycopy(f, z, out, 0, nz);
        System.arraycopy(t, 0, out, nz, nt);
        return out;
    }
}
