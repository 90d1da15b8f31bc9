package org.edgetrain.nn;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Slot;

/**
 * {@code nn.MaxPool1d(kernel, stride)} per channel over time, no padding: {@code [T, C] → [⌊(T−k)/s⌋+1, C]}. The
 * first maximum wins ties and a NaN wins everything, as in PyTorch. Forward caches where each maximum came from
 * (a step index, stored as a float: exact below 2²⁴) so backward routes dL/dy to it.
 */
final class MaxPool1d extends Layer {
    private final int inTime, ch, outTime, kernel, stride;
    private Slot argSlot;
    private int arg;

    MaxPool1d(String name, Shape in, LayerSpec.Pool1d spec) {
        super(name, in.width(), spec.outputTime(in.time()) * in.channels(), false);
        this.inTime = in.time();
        this.ch = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.kernel = spec.kernel();
        this.stride = spec.stride();
    }

    @Override
    public String describe() {
        return "maxpool1d " + inTime + "×" + ch + "→" + outTime + "×" + ch + " k" + kernel + (stride != kernel ? " s" + stride : "");
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        argSlot = p.activation(this, "argmax", out);
    }

    @Override
    void bind(float[] arena, Kernels k) {
        super.bind(arena, k);
        arg = argSlot.offset();
    }

    @Override
    public void forward(int batch, boolean training) {
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * out, as = arg + n * out;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    int best = t0;
                    float m = a[xs + t0 * ch + c];
                    for (int k = 1; k < kernel && !Float.isNaN(m); k++) {
                        float v = a[xs + (t0 + k) * ch + c];
                        if (v > m || Float.isNaN(v)) {
                            m = v;
                            best = t0 + k;
                        }
                    }
                    a[ys + t * ch + c] = m;
                    a[as + t * ch + c] = best;
                }
            }
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx < 0) return;
        java.util.Arrays.fill(a, dx, dx + batch * in, 0f);
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * out, as = arg + n * out, xs = dx + n * in;
            for (int i = 0; i < out; i++) {
                int c = i % ch;
                a[xs + (int) a[as + i] * ch + c] += a[ds + i]; // dL/dx[argmax] += dL/dy (windows may overlap)
            }
        }
    }
}
