package org.edgetrain.train;

import org.edgetrain.train.Dataset;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.EvaluationTally;

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
        EvaluationTally tally = new EvaluationTally(t.spec().loss(), n, tw, 0f); // scores are logits
        float[] f = t.arena().data();
        int z = t.logitsOffset();
        float[] targets = new float[batch * tw];
        for (int from = 0; from < d.rows(); from += batch) {
            int rows = Math.min(batch, d.rows() - from);
            t.inferBatch(d.x(), from * in, rows);
            System.arraycopy(d.y(), from * tw, targets, 0, rows * tw);
            tally.addLoss(t.loss().value(concat(f, z, rows * n, targets, rows * tw), 0, rows * n, rows, n), rows);
            for (int r = 0; r < rows; r++) tally.addRow(f, z + r * n, targets, r * tw);
        }
        return tally.result();
    }

    /** Logits then targets in one array, the layout {@link org.edgetrain.loss.Loss#value} reads. */
    private static float[] concat(float[] f, int z, int nz, float[] t, int nt) {
        float[] out = new float[nz + nt];
        System.arraycopy(f, z, out, 0, nz);
        System.arraycopy(t, 0, out, nz, nt);
        return out;
    }
}
