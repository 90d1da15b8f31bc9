package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.Shape;

/**
 * {@code nn.AvgPool1d(kernel, stride)} in fixed point, per channel over time, no padding:
 * {@code y[t, c] = (1/k) Σ_k x[t·s + k, c]}. The sum is exact, then divided and moved to the output's grid with one
 * rounding ({@link Narrow#divide}); a mean can be much smaller than its inputs, so the output has a format of its own,
 * as has dL/dx ({@code dL/dx[i] = (1/k) Σ_{windows t holding i} dL/dy[t]}).
 */
final class FixedAvgPool1d extends FixedLayer {
    private final int inTime, ch, outTime, kernel, stride;

    FixedAvgPool1d(String name, Shape in, LayerSpec.Pool1d spec) {
        super(name, in.width(), spec.outputTime(in.time()) * in.channels());
        this.inTime = in.time();
        this.ch = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.kernel = spec.kernel();
        this.stride = spec.stride();
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + outTime + ", " + ch + "]", batch * out);
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
            int xs = x + n * in, ys = y + n * out;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    long s = 0;
                    for (int k = 0; k < kernel; k++) s += a[xs + (t0 + k) * ch + c];
                    a[ys + t * ch + c] = Narrow.divide(s, kernel, shift, stats);
                }
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
            for (int i = 0; i < inTime; i++) {
                int tFirst = i < kernel ? 0 : (i - kernel) / stride + 1, tLast = Math.min(i / stride, outTime - 1);
                for (int c = 0; c < ch; c++) {
                    long s = 0;
                    for (int t = tFirst; t <= tLast; t++) s += a[ds + t * ch + c];
                    a[xs + i * ch + c] = Narrow.divide(s, kernel, shift, stats); // dL/dx[i] = Σ dL/dy[t] / k
                }
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
