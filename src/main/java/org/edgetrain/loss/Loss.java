package org.edgetrain.loss;

import org.edgetrain.kernels.Kernels;

/**
 * A loss over a batch, reduced by the mean as in PyTorch's defaults. {@link #forwardBackward} computes the loss and
 * writes dL/d(input) in one pass; {@link #value} only evaluates.
 *
 * <p>Input {@code z[batch, n]} is what the network produces for the loss: logits for the fused cross-entropy and
 * BCE, outputs otherwise. Targets {@code t[batch, targetWidth(n)]} are floats (class indices for cross-entropy).
 */
public interface Loss {

    LossKind kind();

    /** Target floats per row for an input of width n. */
    int targetWidth(int n);

    /** Mean loss over the batch; writes dL/dz into {@code dz}. Allocates nothing. */
    float forwardBackward(Kernels k, float[] a, int z, int t, int dz, int batch, int n);

    /** Mean loss over the batch, without gradients. */
    float value(float[] a, int z, int t, int batch, int n);

    /** Creates the loss a config or model file names. */
    static Loss of(LossKind kind, float huberDelta) {
        return switch (kind) {
            case MSE -> new MeanSquaredError();
            case CROSS_ENTROPY -> new CrossEntropy();
            case BCE -> new BinaryCrossEntropy();
            case HUBER -> new Huber(huberDelta);
        };
    }
}
