package org.edgetrain.nn;

/** {@code nn.Upsample(scale_factor=f, mode='nearest')} over time: each step repeated f times, {@code [T, C] → [f·T, C]}. */
final class Upsample1d extends Layer {
    private final int time, ch, factor;

    Upsample1d(String name, Shape in, int factor) {
        super(name, in.width(), in.width() * factor, false);
        this.time = in.time();
        this.ch = in.channels();
        this.factor = factor;
    }

    @Override
    public String describe() {
        return "upsample1d " + time + "×" + ch + "→" + time * factor + "×" + ch;
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * out;
            for (int t = 0; t < time; t++) {
                for (int r = 0; r < factor; r++) System.arraycopy(a, xs + t * ch, a, ys + (t * factor + r) * ch, ch);
            }
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx < 0) return;
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * out, xs = dx + n * in;
            for (int t = 0; t < time; t++) {
                for (int c = 0; c < ch; c++) {
                    float s = 0f;
                    for (int r = 0; r < factor; r++) s += a[ds + (t * factor + r) * ch + c]; // dL/dx[t] = Σ of its copies
                    a[xs + t * ch + c] = s;
                }
            }
        }
    }
}
