package org.edgetrain.nn;

/** {@code nn.AvgPool1d(kernel, stride)} per channel over time, no padding: {@code y[t, c] = (1/k) Σ_k x[t·s + k, c]}. */
final class AvgPool1d extends Layer {
    private final int inTime, ch, outTime, kernel, stride;

    AvgPool1d(String name, Shape in, LayerSpec.Pool1d spec) {
        super(name, in.width(), spec.outputTime(in.time()) * in.channels(), false);
        this.inTime = in.time();
        this.ch = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.kernel = spec.kernel();
        this.stride = spec.stride();
    }

    @Override
    public String describe() {
        return "avgpool1d " + inTime + "×" + ch + "→" + outTime + "×" + ch + " k" + kernel + (stride != kernel ? " s" + stride : "");
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        float inv = 1f / kernel;
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * out;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    float s = 0f;
                    for (int k = 0; k < kernel; k++) s += a[xs + (t0 + k) * ch + c];
                    a[ys + t * ch + c] = s * inv;
                }
            }
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx < 0) return;
        java.util.Arrays.fill(a, dx, dx + batch * in, 0f);
        float inv = 1f / kernel;
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * out, xs = dx + n * in;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    float g = a[ds + t * ch + c] * inv; // dL/dx[t·s+k] += dL/dy[t] / k
                    for (int k = 0; k < kernel; k++) a[xs + (t0 + k) * ch + c] += g;
                }
            }
        }
    }
}
