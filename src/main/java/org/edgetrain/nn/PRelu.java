package org.edgetrain.nn;

import org.edgetrain.util.Rng;

/** {@code y = x > 0 ? x : α·x} with α learned: one α for the layer (PyTorch's default) or one per unit. */
public final class PRelu extends Layer {
    private final boolean perUnit;
    private final float initial;
    private Parameter alpha;
    private int al, dal = -1;

    PRelu(String name, int width, boolean perUnit, float initial, boolean frozen) {
        super(name, width, width, frozen);
        this.perUnit = perUnit;
        this.initial = initial;
    }

    @Override
    public String describe() {
        return perUnit ? "prelu(per unit)" : "prelu";
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        alpha = p.parameter(this, "weight", !frozen, perUnit ? in : 1);
    }

    @Override
    void bind(float[] arena, org.edgetrain.kernels.Kernels k) {
        super.bind(arena, k);
        al = alpha.offset();
        dal = alpha.gradOffset();
    }

    @Override
    boolean hasTrainable() {
        return !frozen;
    }

    @Override
    void initialize(Rng rng) {
        for (int i = 0; i < alpha.size(); i++) a[al + i] = initial;
    }

    @Override
    public void forward(int batch, boolean training) {
        for (int s = 0; s < batch; s++) {
            int r = s * in;
            for (int j = 0; j < in; j++) {
                float v = a[x + r + j];
                a[y + r + j] = v > 0f ? v : a[al + (perUnit ? j : 0)] * v;
            }
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dal >= 0 && !accumulate) java.util.Arrays.fill(a, dal, dal + alpha.size(), 0f);
        for (int s = 0; s < batch; s++) {
            int r = s * in;
            for (int j = 0; j < in; j++) {
                float v = a[x + r + j];
                float g = a[dy + r + j];
                int k = al + (perUnit ? j : 0);
                if (dal >= 0 && v <= 0f) a[dal + (perUnit ? j : 0)] += g * v; // dL/dα += dL/dy · x for x ≤ 0
                if (dx >= 0) a[dx + r + j] = v > 0f ? g : a[k] * g; // dL/dx = dL/dy · (x > 0 ? 1 : α)
            }
        }
    }
}
