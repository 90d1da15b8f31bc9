package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.nn.Shape;

/**
 * {@code nn.Upsample(scale_factor=f, mode='nearest')} over time in fixed point: each step repeated f times, so the
 * output is a copy in the input's format. dL/dx sums the f copies' gradients exactly and narrows once into a format of
 * its own (the sum can be f times larger).
 */
final class FixedUpsample1d extends FixedLayer {
    private final int time, ch, factor;

    FixedUpsample1d(String name, Shape in, int factor) {
        super(name, in.width(), in.width() * factor);
        this.time = in.time();
        this.ch = in.channels();
        this.factor = factor;
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + time * factor + ", " + ch + "]", batch * out);
        outFormat = inFormat;
    }

    @Override
    void planBackward() {
        dInFormat = new QFormat(name + ".dinput", 12, false);
    }

    @Override
    void forward(int batch, boolean training) {
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * out;
            for (int t = 0; t < time; t++) {
                for (int r = 0; r < factor; r++) System.arraycopy(a, xs + t * ch, a, ys + (t * factor + r) * ch, ch);
            }
        }
    }

    @Override
    void backward(int batch) {
        if (dx < 0) return;
        int shift = dOutFormat.frac() - dInFormat.frac();
        long[] stats = dInFormat.stats();
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * out, xs = dx + n * in;
            for (int t = 0; t < time; t++) {
                for (int c = 0; c < ch; c++) {
                    long s = 0;
                    for (int r = 0; r < factor; r++) s += a[ds + (t * factor + r) * ch + c]; // dL/dx[t] = Σ of its copies
                    a[xs + t * ch + c] = Narrow.shift(s, shift, stats);
                }
            }
        }
    }

    @Override
    List<QFormat> ownFormats() {
        return dInFormat == null ? List.of() : List.of(dInFormat);
    }
}
