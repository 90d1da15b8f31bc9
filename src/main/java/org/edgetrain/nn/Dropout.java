package org.edgetrain.nn;

import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * Inverted dropout: in training each value is kept with probability 1−rate and scaled by 1/(1−rate), so evaluation
 * is the identity. The mask (0 or the scale) is cached for backward; its draws come from the network's dropout
 * stream, so a seed fixes them.
 */
public final class Dropout extends Layer {
    private final float rate;
    private final Rng rng;
    private Slot maskSlot;
    private int mask;

    Dropout(String name, int width, float rate, Rng rng) {
        super(name, width, width, false);
        this.rate = rate;
        this.rng = rng;
    }

    @Override
    public String describe() {
        return "dropout(" + rate + ")";
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        maskSlot = p.activation(this, "mask", out);
    }

    @Override
    void bind(float[] arena, org.edgetrain.kernels.Kernels k) {
        super.bind(arena, k);
        mask = maskSlot.offset();
    }

    @Override
    public void forward(int batch, boolean training) {
        int n = batch * in;
        if (!training || rate == 0f) {
            System.arraycopy(a, x, a, y, n);
            for (int i = 0; i < n; i++) a[mask + i] = 1f;
            return;
        }
        float keep = 1f / (1f - rate);
        for (int i = 0; i < n; i++) {
            float m = rng.nextFloat() < rate ? 0f : keep;
            a[mask + i] = m;
            a[y + i] = a[x + i] * m;
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        int n = batch * in;
        for (int i = 0; i < n; i++) a[dx + i] = a[dy + i] * a[mask + i]; // dL/dx = dL/dy · mask
    }
}
