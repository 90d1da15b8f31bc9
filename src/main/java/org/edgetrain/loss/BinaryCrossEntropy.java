package org.edgetrain.loss;

import org.edgetrain.kernels.Kernels;

/**
 * Sigmoid and binary cross-entropy fused over logits, like PyTorch's BCEWithLogitsLoss:
 * {@code L = mean(max(z,0) − z·t + log(1 + e^−|z|))}, {@code dL/dz = (σ(z) − t)/(B·n)}; no log of 0 for any z.
 */
public final class BinaryCrossEntropy implements Loss {
    @Override
    public LossKind kind() {
        return LossKind.BCE;
    }

    @Override
    public int targetWidth(int n) {
        return n;
    }

    @Override
    public float forwardBackward(Kernels k, float[] a, int z, int t, int dz, int batch, int n) {
        int count = batch * n;
        float inv = 1f / count;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            float v = a[z + i];
            float target = a[t + i];
            sum += pointLoss(v, target);
            a[dz + i] = (sigmoid(v) - target) * inv;
        }
        return (float) (sum / count);
    }

    @Override
    public float value(float[] a, int z, int t, int batch, int n) {
        int count = batch * n;
        double sum = 0;
        for (int i = 0; i < count; i++) sum += pointLoss(a[z + i], a[t + i]);
        return (float) (sum / count);
    }

    private static double pointLoss(float z, float t) {
        return Math.max(z, 0f) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    }

    private static float sigmoid(float v) {
        if (v >= 0f) return (float) (1.0 / (1.0 + Math.exp(-v)));
        double e = Math.exp(v);
        return (float) (e / (1.0 + e));
    }
}
