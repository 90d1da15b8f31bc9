package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.util.Rng;

/**
 * Inverted dropout in fixed point: the mask holds 0 or the mantissa of 1/(1−rate) ({@link Coefficient}), so one
 * {@link FixedKernels#multiply} applies mask and scale. The output keeps the input's format; the 1/(1−rate) gain fits
 * the format's 2× headroom for rates up to ½, and a rare excess saturates and is counted.
 */
final class FixedDropout extends FixedLayer {
    private final float rate;
    private final Rng rng;
    private final short keep;
    private final int shift;
    private org.edgetrain.memory.Slot maskSlot;
    private int mask;

    FixedDropout(String name, int width, float rate, Rng rng) {
        super(name, width, width);
        this.rate = rate;
        this.rng = rng;
        double gain = 1.0 / (1.0 - rate);
        this.keep = (short) Coefficient.mantissa(gain);
        this.shift = Coefficient.shift(gain);
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + out + "]", batch * out);
        maskSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "mask [" + batch + ", " + out + "]", batch * out);
        outFormat = inFormat;
    }

    @Override
    void planBackward() {
        dInFormat = dOutFormat;
    }

    @Override
    void bind(short[] arena, FixedKernels k) {
        super.bind(arena, k);
        mask = maskSlot.offset();
    }

    @Override
    void forward(int batch, boolean training) {
        int n = batch * in;
        if (!training || rate == 0f) {
            System.arraycopy(a, x, a, y, n);
            return;
        }
        for (int i = 0; i < n; i++) a[mask + i] = rng.nextFloat() < rate ? 0 : keep;
        kernels.multiply(a, x, mask, y, n, shift, outFormat.stats());
    }

    @Override
    void backward(int batch) {
        if (dx < 0) return;
        if (rate == 0f) System.arraycopy(a, dy, a, dx, batch * in);
        else kernels.multiply(a, dy, mask, dx, batch * in, shift, dInFormat.stats()); // dL/dx = dL/dy · mask
    }

    @Override
    List<QFormat> ownFormats() {
        return List.of();
    }
}
