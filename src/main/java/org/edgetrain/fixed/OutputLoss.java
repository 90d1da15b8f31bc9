package org.edgetrain.fixed;

import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;

/**
 * The part of fixed-point training that stays fp32: the loss and its gradient on the dequantized logits
 * ({@code batch × outputs} floats, a few hundred bytes). Softmax cross-entropy and BCE use {@link StrictMath} here,
 * because {@link Math#exp} may differ by an ulp between JVMs and CPUs and the weights must be bit-identical on every
 * board; MSE and Huber need no transcendental function and run as in fp32 training.
 */
public final class OutputLoss {
    private final Loss loss;
    private final JavaKernels java = new JavaKernels();

    public OutputLoss(Loss loss) {
        this.loss = loss;
    }

    /** Mean loss over the batch; writes dL/dz. Same math as the fp32 losses. */
    public float forwardBackward(float[] a, int z, int t, int dz, int batch, int n) {
        if (loss.kind() == LossKind.CROSS_ENTROPY) return softmaxCrossEntropy(a, z, t, dz, batch, n);
        if (loss.kind() == LossKind.BCE) return binaryCrossEntropy(a, z, t, dz, batch, n);
        return loss.forwardBackward(java, a, z, t, dz, batch, n);
    }

    /** {@code dz = (softmax(z) − onehot(t)) / batch}; loss {@code log Σ e^(z−max) − (z_t − max)}. */
    private static float softmaxCrossEntropy(float[] a, int z, int t, int dz, int batch, int n) {
        double total = 0;
        float inv = 1f / batch;
        for (int r = 0; r < batch; r++) {
            int zr = z + r * n, dr = dz + r * n;
            float max = a[zr];
            for (int j = 1; j < n; j++) max = Math.max(max, a[zr + j]);
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = (float) StrictMath.exp(a[zr + j] - max);
                a[dr + j] = e;
                sum += e;
            }
            int target = (int) a[t + r];
            float scale = inv / sum;
            for (int j = 0; j < n; j++) a[dr + j] = a[dr + j] * scale - (j == target ? inv : 0f);
            total += StrictMath.log(sum) - (a[zr + target] - max);
        }
        return (float) (total / batch);
    }

    /** {@code dz = (σ(z) − t) / (batch·n)}; loss {@code max(z,0) − z·t + log(1 + e^−|z|)}, mean over all. */
    private static float binaryCrossEntropy(float[] a, int z, int t, int dz, int batch, int n) {
        double total = 0;
        int count = batch * n;
        float inv = 1f / count;
        for (int i = 0; i < count; i++) {
            float v = a[z + i], target = a[t + i];
            double s = v >= 0f ? 1.0 / (1.0 + StrictMath.exp(-v)) : StrictMath.exp(v) / (1.0 + StrictMath.exp(v));
            a[dz + i] = ((float) s - target) * inv;
            total += Math.max(v, 0f) - v * target + StrictMath.log1p(StrictMath.exp(-Math.abs(v)));
        }
        return (float) (total / count);
    }

    public Loss loss() {
        return loss;
    }
}
