package org.edgetrain.nn;

/** {@code nn.AvgPool1d(kernel, stride)} per channel over time, no padding: {@code y[t, c] = (1/k) Σ_k x[t·s + k, c]}. */
final class AvgPool1d extends Pool1dLayer {
    AvgPool1d(String name, Shape in, LayerSpec.Pool1d spec) {
        super(name, in, spec, "avgpool1d");
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.avgPool1dForward(a, x, y, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx >= 0) kernels.avgPool1dBackward(a, dy, dx, batch, inTime, ch, outTime, kernel, stride); // dL/dx[t·s+k] += dL/dy[t] / k
    }
}
