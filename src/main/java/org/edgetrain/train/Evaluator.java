package org.edgetrain.train;

import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.Network;

/**
 * Runs a network in evaluation mode (no dropout, running batch-norm statistics) over data of any length in chunks of
 * the network's batch capacity: metrics ({@link #evaluate}) and predictions ({@link #predict}).
 */
public final class Evaluator {
    private final Network net;
    private final Loss loss;
    private final int targets;
    private final boolean applySoftmax;
    private final boolean applySigmoid;
    private final Standardizer targetScale; // null: outputs are in the targets' units

    /**
     * @param targetOffset arena offset of a target slot of {@code batch × loss.targetWidth} floats
     */
    public Evaluator(Network net, Loss loss, int targetOffset) {
        this(net, loss, targetOffset, null);
    }

    private Evaluator(Network net, Loss loss, int targetOffset, Standardizer targetScale) {
        this.targetScale = targetScale == null || targetScale.isIdentity() ? null : targetScale;
        this.net = net;
        this.loss = loss;
        this.targets = targetOffset;
        LayerSpec last = net.spec().layers().get(net.spec().layers().size() - 1);
        // The loss reads logits; predictions are probabilities, so apply the activation the network leaves to the loss.
        this.applySoftmax = loss.kind() == LossKind.CROSS_ENTROPY && !last.appliedByLoss(loss.kind());
        this.applySigmoid = loss.kind() == LossKind.BCE && !last.appliedByLoss(loss.kind());
    }

    /**
     * The same network for a model trained on standardized regression targets: {@link #evaluate} reports R², MAE and
     * RMSE in the targets' own units and {@link #predict} returns values in them (the loss stays on the training scale).
     */
    public Evaluator withTargetScale(Standardizer s) {
        return new Evaluator(net, loss, targets, s);
    }

    public Loss loss() {
        return loss;
    }

    /**
     * Loss and task metrics over a dataset whose features (and, with a target scale, targets) are standardized as in
     * training.
     */
    public Evaluation evaluate(Dataset d) {
        float[] a = net.arena();
        int batch = net.batchCapacity();
        int in = net.inputWidth();
        int lossWidth = net.lossWidth();
        int outputs = net.outputWidth();
        int tw = loss.targetWidth(lossWidth);
        if (d.targetWidth() != tw) {
            throw new IllegalArgumentException(d.source() + ": " + d.targetWidth() + " target columns, the loss needs " + tw);
        }
        EvaluationTally tally = new EvaluationTally(loss.kind(), outputs, tw, 0.5f); // pred holds probabilities
        float[] pred = new float[batch * outputs];
        float[] truth = targetScale == null ? null : new float[batch * tw];
        for (int from = 0; from < d.rows(); from += batch) {
            int rows = Math.min(batch, d.rows() - from);
            System.arraycopy(d.x(), from * in, a, net.inputOffset(), rows * in);
            System.arraycopy(d.y(), from * tw, a, targets, rows * tw);
            net.forward(rows, false);
            tally.addLoss(loss.value(a, net.lossInputOffset(), targets, rows, lossWidth), rows);
            outputs(rows, pred);
            if (targetScale == null) {
                for (int r = 0; r < rows; r++) tally.addRow(pred, r * outputs, a, targets + r * tw);
            } else { // metrics in the targets' units: y = y'·std + mean on both sides
                System.arraycopy(a, targets, truth, 0, rows * tw);
                targetScale.unapply(truth, 0, rows);
                for (int r = 0; r < rows; r++) tally.addRow(pred, r * outputs, truth, r * tw);
            }
        }
        return tally.result();
    }

    /**
     * Predictions for {@code rows} standardized rows: probabilities for classification, values for regression (in the
     * targets' units when a target scale is set).
     */
    public void predict(float[] x, int rows, float[] out) {
        float[] a = net.arena();
        int batch = net.batchCapacity();
        int in = net.inputWidth();
        int outputs = net.outputWidth();
        float[] chunk = new float[batch * outputs];
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            System.arraycopy(x, from * in, a, net.inputOffset(), n * in);
            net.forward(n, false);
            outputs(n, chunk);
            System.arraycopy(chunk, 0, out, from * outputs, n * outputs);
        }
    }

    /** Copies the network outputs of the last forward, turning logits into probabilities where the loss implies it. */
    private void outputs(int rows, float[] dst) {
        float[] a = net.arena();
        int outputs = net.outputWidth();
        System.arraycopy(a, net.outputOffset(), dst, 0, rows * outputs);
        if (targetScale != null) targetScale.unapply(dst, 0, rows);
        if (applySoftmax) {
            for (int r = 0; r < rows; r++) {
                int o = r * outputs;
                float max = dst[o];
                for (int j = 1; j < outputs; j++) max = Math.max(max, dst[o + j]);
                double sum = 0;
                for (int j = 0; j < outputs; j++) sum += Math.exp(dst[o + j] - max);
                for (int j = 0; j < outputs; j++) dst[o + j] = (float) (Math.exp(dst[o + j] - max) / sum);
            }
        } else if (applySigmoid) {
            for (int i = 0; i < rows * outputs; i++) dst[i] = (float) (1 / (1 + Math.exp(-dst[i])));
        }
    }

    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) if (v[off + j] > v[off + best]) best = j;
        return best;
    }
}
