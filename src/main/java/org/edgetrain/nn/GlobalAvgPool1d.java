package org.edgetrain.nn;

/**
 * {@code nn.AdaptiveAvgPool1d(1)} + flatten: the mean over time per channel, {@code [T, C] → [C]}: the average-pooling
 * kernel with one window as long as the input.
 */
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
        kernels.avgPool1dForward(a, x, y, batch, time, ch, 1, time, 1);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx >= 0) kernels.avgPool1dBackward(a, dy, dx, batch, time, ch, 1, time, 1); // dL/dx[t, c] = dL/dy[c] / T
    }
}
