package org.edgetrain.nn;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Slot;

/**
 * {@code nn.MaxPool1d(kernel, stride)} per channel over time, no padding: {@code [T, C] → [⌊(T−k)/s⌋+1, C]}. The
 * first maximum wins ties and a NaN wins everything, as in PyTorch. Forward caches where each maximum came from
 * (a step index, stored as a float: exact below 2²⁴) so backward routes dL/dy to it.
 */
final class MaxPool1d extends Pool1dLayer {
    private Slot argSlot;
    private int arg;

    MaxPool1d(String name, Shape in, LayerSpec.Pool1d spec) {
        super(name, in, spec, "maxpool1d");
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
        kernels.maxPool1dForward(a, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx >= 0) kernels.maxPool1dBackward(a, dy, arg, dx, batch, inTime, ch, outTime); // dL/dx[argmax] += dL/dy
    }
}
