package org.edgetrain.nn;

/** {@code nn.AdaptiveAvgPool1d(1)} + flatten: the mean over time per channel, {@code [T, C] → [C]}. */
final class GlobalAvgPool1d extends Layer {
    private final int time, ch;

    GlobalAvgPool1d(String name, Shape in) {
        super(name, in.width(), in.channels(), false);
        this.time = in.time();
        this.ch = in.channels();
    }

    @Override
    public String describe() {
        return "global_avgpool1d " + time + "×" + ch + "→" + ch;
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        float inv = 1f / time;
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * ch;
            for (int c = 0; c < ch; c++) a[ys + c] = 0f;
            for (int t = 0; t < time; t++) for (int c = 0; c < ch; c++) a[ys + c] += a[xs + t * ch + c];
            for (int c = 0; c < ch; c++) a[ys + c] *= inv;
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx < 0) return;
        float inv = 1f / time;
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * ch, xs = dx + n * in;
            for (int t = 0; t < time; t++) for (int c = 0; c < ch; c++) a[xs + t * ch + c] = a[ds + c] * inv; // dL/dx[t, c] = dL/dy[c] / T
        }
    }
}
