package org.edgetrain.nn;

import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * PyTorch's BatchNorm1d over features: in training it normalizes with the batch's mean and (biased) variance and
 * moves the running statistics toward them ({@code r = (1−m)·r + m·stat}, the running variance unbiased); in
 * evaluation, or when frozen, it normalizes with the running statistics. {@code y = γ·x̂ + β}.
 *
 * <p>A training batch of one has zero variance: x̂ is 0 and the running statistics are left alone (PyTorch refuses
 * such a batch; a daemon's last partial batch should not stop training).
 */
public final class BatchNorm1d extends Layer {
    private final float eps;
    private final float momentum;
    private final long[] batchesTracked = new long[1];
    private Parameter gamma, beta, runningMean, runningVar;
    private Slot xhatSlot, meanSlot, invStdSlot;
    private int g, bt, dg = -1, dbt = -1, rm, rv, xhat, mean, invStd;
    private boolean usedBatchStatistics;

    BatchNorm1d(String name, int width, float eps, float momentum, boolean frozen) {
        super(name, width, width, frozen);
        this.eps = eps;
        this.momentum = momentum;
    }

    @Override
    public HealthRole healthRole() {
        return HealthRole.NORMALIZING;
    }

    @Override
    public String describe() {
        return "batchnorm " + in;
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        gamma = p.parameter(this, "weight", !frozen, in);
        beta = p.parameter(this, "bias", !frozen, in);
        runningMean = p.buffer(this, "running_mean", in);
        runningVar = p.buffer(this, "running_var", in);
        p.counter(this, "num_batches_tracked", batchesTracked);
        xhatSlot = p.activation(this, "x_hat", in);
        meanSlot = p.cache(this, "batch mean", in);
        invStdSlot = p.cache(this, "1/std", in);
    }

    @Override
    void bind(float[] arena, org.edgetrain.kernels.Kernels k) {
        super.bind(arena, k);
        g = gamma.offset();
        bt = beta.offset();
        dg = gamma.gradOffset();
        dbt = beta.gradOffset();
        rm = runningMean.offset();
        rv = runningVar.offset();
        xhat = xhatSlot.offset();
        mean = meanSlot.offset();
        invStd = invStdSlot.offset();
    }

    @Override
    boolean hasTrainable() {
        return !frozen;
    }

    @Override
    void initialize(Rng rng) {
        for (int j = 0; j < in; j++) {
            a[g + j] = 1f;
            a[bt + j] = 0f;
            a[rm + j] = 0f;
            a[rv + j] = 1f;
        }
        batchesTracked[0] = 0;
    }

    @Override
    public void forward(int batch, boolean training) {
        usedBatchStatistics = training && !frozen;
        if (usedBatchStatistics) {
            batchStatistics(batch);
        } else {
            for (int j = 0; j < in; j++) {
                a[mean + j] = a[rm + j];
                a[invStd + j] = (float) (1.0 / Math.sqrt(a[rv + j] + eps));
            }
        }
        for (int s = 0; s < batch; s++) {
            int r = s * in;
            for (int j = 0; j < in; j++) {
                float h = (a[x + r + j] - a[mean + j]) * a[invStd + j];
                a[xhat + r + j] = h;
                a[y + r + j] = a[g + j] * h + a[bt + j];
            }
        }
    }

    private void batchStatistics(int batch) {
        // two passes: mean, then biased variance (stored in invStd, then replaced by 1/√(var+ε))
        for (int j = 0; j < in; j++) {
            a[mean + j] = 0f;
            a[invStd + j] = 0f;
        }
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < in; j++) a[mean + j] += a[x + s * in + j];
        }
        float invBatch = 1f / batch;
        for (int j = 0; j < in; j++) a[mean + j] *= invBatch;
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < in; j++) {
                float d = a[x + s * in + j] - a[mean + j];
                a[invStd + j] += d * d;
            }
        }
        boolean track = batch > 1;
        float unbias = track ? (float) batch / (batch - 1) : 0f;
        for (int j = 0; j < in; j++) {
            float var = a[invStd + j] * invBatch;
            if (track) {
                a[rm + j] = (1f - momentum) * a[rm + j] + momentum * a[mean + j];
                a[rv + j] = (1f - momentum) * a[rv + j] + momentum * var * unbias;
            }
            a[invStd + j] = (float) (1.0 / Math.sqrt(var + eps));
        }
        if (track) batchesTracked[0]++;
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dg >= 0) {
            if (!accumulate) {
                java.util.Arrays.fill(a, dg, dg + in, 0f);
                java.util.Arrays.fill(a, dbt, dbt + in, 0f);
            }
            for (int s = 0; s < batch; s++) {
                int r = s * in;
                for (int j = 0; j < in; j++) {
                    float gy = a[dy + r + j];
                    a[dg + j] += gy * a[xhat + r + j]; // dL/dγ += dL/dy · x̂
                    a[dbt + j] += gy; // dL/dβ += dL/dy
                }
            }
        }
        if (dx < 0) return;
        if (!usedBatchStatistics) {
            // statistics are constants: dL/dx = dL/dy · γ / std
            for (int s = 0; s < batch; s++) {
                int r = s * in;
                for (int j = 0; j < in; j++) a[dx + r + j] = a[dy + r + j] * a[g + j] * a[invStd + j];
            }
            return;
        }
        // dL/dx = (1/(B·std)) · (B·dx̂ − Σ dx̂ − x̂ · Σ dx̂·x̂), with dx̂ = dL/dy · γ.
        // Σ dx̂ is kept in the mean cache and Σ dx̂·x̂ in dx's first row until it is overwritten last.
        for (int j = 0; j < in; j++) {
            a[mean + j] = 0f;
        }
        int sum2 = dx; // row 0 of dx as scratch for Σ dx̂·x̂
        float[] arr = a;
        for (int j = 0; j < in; j++) arr[sum2 + j] = 0f;
        for (int s = 0; s < batch; s++) {
            int r = s * in;
            for (int j = 0; j < in; j++) {
                float d = arr[dy + r + j] * arr[g + j];
                arr[mean + j] += d;
                arr[sum2 + j] += d * arr[xhat + r + j];
            }
        }
        float invBatch = 1f / batch;
        for (int s = batch - 1; s >= 0; s--) {
            int r = s * in;
            for (int j = 0; j < in; j++) {
                float d = arr[dy + r + j] * arr[g + j];
                arr[dx + r + j] = arr[invStd + j] * invBatch
                        * (batch * d - arr[mean + j] - arr[xhat + r + j] * arr[sum2 + j]);
            }
        }
    }

    public long batchesTracked() {
        return batchesTracked[0];
    }
}
