package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;

/**
 * Leaky ReLU (ReLU: slope 0) in fixed point, the slope in Q15. With a slope in [0, 1) the output never outgrows the
 * input, so it shares the input's format, and dL/d(input) shares dL/d(output)'s.
 */
final class FixedLeakyRelu extends FixedLayer {
    private final int slopeQ15;

    FixedLeakyRelu(String name, int width, float slope) {
        super(name, width, width);
        this.slopeQ15 = (int) Math.rint(slope * 32768.0);
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + out + "]", batch * out);
        outFormat = inFormat;
    }

    @Override
    void planBackward() {
        dInFormat = dOutFormat;
    }

    @Override
    void forward(int batch, boolean training) {
        kernels.leakyReluForward(a, x, y, batch * in, slopeQ15, outFormat.stats());
    }

    @Override
    void backward(int batch) {
        if (dx >= 0) kernels.leakyReluBackward(a, x, dy, dx, batch * in, slopeQ15, dInFormat.stats());
    }

    /** As fp32's {@code LeakyRelu.healthRole}: only a zero slope lets a unit die. */
    @Override
    boolean reluFamily() {
        return slopeQ15 == 0;
    }

    @Override
    List<QFormat> ownFormats() {
        return List.of();
    }
}
