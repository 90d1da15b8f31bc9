package org.edgetrain.loss;

import org.edgetrain.kernels.Kernels;

/**
 * Softmax and cross-entropy fused over logits, like PyTorch's nn.CrossEntropyLoss: stable for any logit scale, and
 * its gradient is simply {@code (softmax(z) − onehot(t)) / B}.
 */
public final class CrossEntropy implements Loss {
    @Override
    public LossKind kind() {
        return LossKind.CROSS_ENTROPY;
    }

    @Override
    public int targetWidth(int n) {
        return 1;
    }

    @Override
    public float forwardBackward(Kernels k, float[] a, int z, int t, int dz, int batch, int n) {
        return k.softmaxCrossEntropy(a, z, t, dz, batch, n);
    }

    @Override
    public float value(float[] a, int z, int t, int batch, int n) {
        double total = 0;
        for (int s = 0; s < batch; s++) {
            int r = z + s * n;
            float max = a[r];
            for (int j = 1; j < n; j++) max = Math.max(max, a[r + j]);
            double sum = 0;
            for (int j = 0; j < n; j++) sum += Math.exp(a[r + j] - max);
            total += Math.log(sum) - (a[r + (int) a[t + s]] - max);
        }
        return (float) (total / batch);
    }
}
