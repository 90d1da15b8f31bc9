package org.edgetrain.loss;

import org.edgetrain.kernels.Kernels;

/**
 * PyTorch's HuberLoss: per element {@code ½d²} for {@code |d| ≤ δ}, else {@code δ(|d| − ½δ)}, averaged over B·n;
 * its gradient is {@code d} inside and {@code δ·sign(d)} outside, so outliers pull with bounded force.
 */
public final class Huber implements Loss {
    private final float delta;

    public Huber(float delta) {
        if (!(delta > 0f)) throw new IllegalArgumentException("huber delta must be > 0, got " + delta);
        this.delta = delta;
    }

    public float delta() {
        return delta;
    }

    @Override
    public LossKind kind() {
        return LossKind.HUBER;
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
            float d = a[z + i] - a[t + i];
            float ad = Math.abs(d);
            if (ad <= delta) {
                sum += 0.5 * d * d;
                a[dz + i] = d * inv;
            } else {
                sum += delta * (ad - 0.5 * delta);
                a[dz + i] = Math.copySign(delta, d) * inv;
            }
        }
        return (float) (sum / count);
    }

    @Override
    public float value(float[] a, int z, int t, int batch, int n) {
        int count = batch * n;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double ad = Math.abs(a[z + i] - a[t + i]);
            sum += ad <= delta ? 0.5 * ad * ad : delta * (ad - 0.5 * delta);
        }
        return (float) (sum / count);
    }
}
