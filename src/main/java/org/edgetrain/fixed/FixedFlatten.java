package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.memory.MemoryPlan;

/**
 * {@code nn.Flatten} on {@code [N, L, C]} in fixed point: the values already lie in row order, so the output is the
 * input's slot and format (a view, no copy); backward copies dL/dy into the predecessor's gradient buffer.
 */
final class FixedFlatten extends FixedLayer {
    FixedFlatten(String name, int width) {
        super(name, width, width);
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = inputSlot; // nothing writes the input between this layer and the next
        outFormat = inFormat;
    }

    @Override
    void planBackward() {
        dInFormat = dOutFormat;
    }

    @Override
    void forward(int batch, boolean training) {
    }

    @Override
    void backward(int batch) {
        if (dx >= 0) System.arraycopy(a, dy, a, dx, batch * in);
    }

    @Override
    List<QFormat> ownFormats() {
        return List.of();
    }
}
