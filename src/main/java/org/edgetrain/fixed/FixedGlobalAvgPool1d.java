package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.nn.Shape;

/**
 * {@code nn.AdaptiveAvgPool1d(1)} + flatten in fixed point: the mean over time per channel, {@code [T, C] → [C]}, an
 * exact sum divided and rounded once ({@link Narrow#divide}); output and dL/dx ({@code = dL/dy[c] / T}) have formats
 * of their own.
 */
final class FixedGlobalAvgPool1d extends FixedLayer {
    private final int time, ch;

    FixedGlobalAvgPool1d(String name, Shape in) {
        super(name, in.width(), in.channels());
        this.time = in.time();
        this.ch = in.channels();
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + ch + "]", batch * out);
        outFormat = new QFormat(name + ".output", 12, false);
    }

    @Override
    void planBackward() {
        dInFormat = new QFormat(name + ".dinput", 12, false);
    }

    @Override
    void forward(int batch, boolean training) {
        int shift = inFormat.frac() - outFormat.frac();
        long[] stats = outFormat.stats();
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * ch;
            for (int c = 0; c < ch; c++) {
                long s = 0;
                for (int t = 0; t < time; t++) s += a[xs + t * ch + c];
                a[ys + c] = Narrow.divide(s, time, shift, stats);
            }
        }
    }

    @Override
    void backward(int batch) {
        if (dx < 0) return;
        int shift = dOutFormat.frac() - dInFormat.frac();
        long[] stats = dInFormat.stats();
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * ch, xs = dx + n * in;
            for (int c = 0; c < ch; c++) {
                short g = Narrow.divide(a[ds + c], time, shift, stats); // dL/dx[t, c] = dL/dy[c] / T, the same for every t
                for (int t = 0; t < time; t++) a[xs + t * ch + c] = g;
            }
        }
    }

    @Override
    List<QFormat> ownFormats() {
        List<QFormat> f = new ArrayList<>(List.of(outFormat));
        if (dInFormat != null) f.add(dInFormat);
        return f;
    }
}
