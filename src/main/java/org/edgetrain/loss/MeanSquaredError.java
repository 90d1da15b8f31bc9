package org.edgetrain.loss;

import org.edgetrain.kernels.Kernels;

/** {@code L = (1/(B·n)) Σ (z − t)²}; {@code dL/dz = 2(z − t)/(B·n)}. */
public final class MeanSquaredError implements Loss {
    @Override
    public LossKind kind() {
        return LossKind.MSE;
    }

    @Override
    public int targetWidth(int n) {
        return n;
    }

    @Override
    public float forwardBackward(Kernels k, float[] a, int z, int t, int dz, int batch, int n) {
        int count = batch * n;
        float scale = 2f / count;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            float d = a[z + i] - a[t + i];
            sum += d * d;
            a[dz + i] = scale * d;
        }
        return (float) (sum / count);
    }

    @Override
    public float value(float[] a, int z, int t, int batch, int n) {
        int count = batch * n;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double d = a[z + i] - a[t + i];
            sum += d * d;
        }
        return (float) (sum / count);
    }
}
