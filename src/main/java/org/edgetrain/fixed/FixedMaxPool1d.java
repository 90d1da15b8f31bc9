package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.Shape;

/**
 * {@code nn.MaxPool1d(kernel, stride)} in fixed point, per channel over time, no padding. A maximum is one of its
 * inputs, so the output shares the input's format and is exact; the first maximum wins ties, as in fp32 and PyTorch.
 * Forward caches each maximum's step as an int16 index for backward, which routes dL/dy there. Without overlap
 * (stride ≥ kernel) each input receives at most one gradient, so dL/dx shares dL/dy's format and is exact; with
 * overlap the routed gradients are summed exactly and narrowed once into a format of dL/dx's own.
 */
final class FixedMaxPool1d extends FixedLayer {
    private final int inTime, ch, outTime, kernel, stride;
    private Slot argSlot;
    private int arg;

    FixedMaxPool1d(String name, Shape in, LayerSpec.Pool1d spec) {
        super(name, in.width(), spec.outputTime(in.time()) * in.channels());
        if (in.time() > Short.MAX_VALUE) throw new IllegalArgumentException("maxpool1d in fixed point takes at most 32767 steps, got " + in.time());
        this.inTime = in.time();
        this.ch = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.kernel = spec.kernel();
        this.stride = spec.stride();
    }

    private boolean overlapping() {
        return stride < kernel;
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + outTime + ", " + ch + "]", batch * out);
        argSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "argmax steps [" + batch + ", " + outTime + ", " + ch + "]", batch * out);
        outFormat = inFormat;
    }

    @Override
    void planBackward() {
        dInFormat = overlapping() ? new QFormat(name + ".dinput", 12, false) : dOutFormat;
    }

    @Override
    void bind(short[] arena, FixedKernels k) {
        super.bind(arena, k);
        arg = argSlot.offset();
    }

    @Override
    void forward(int batch, boolean training) {
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in, ys = y + n * out, as = arg + n * out;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    int best = t0;
                    short m = a[xs + t0 * ch + c];
                    for (int k = 1; k < kernel; k++) {
                        short v = a[xs + (t0 + k) * ch + c];
                        if (v > m) {
                            m = v;
                            best = t0 + k;
                        }
                    }
                    a[ys + t * ch + c] = m;
                    a[as + t * ch + c] = (short) best;
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
            int ds = dy + n * out, as = arg + n * out, xs = dx + n * in;
            for (int i = 0; i < inTime; i++) {
                // the windows t that hold step i: t·stride ≤ i < t·stride + kernel
                int tFirst = i < kernel ? 0 : (i - kernel) / stride + 1, tLast = Math.min(i / stride, outTime - 1);
                for (int c = 0; c < ch; c++) {
                    long acc = 0;
                    for (int t = tFirst; t <= tLast; t++) if (a[as + t * ch + c] == i) acc += a[ds + t * ch + c]; // dL/dx[argmax] += dL/dy
                    a[xs + i * ch + c] = Narrow.shift(acc, shift, stats);
                }
            }
        }
    }

    @Override
    List<QFormat> ownFormats() {
        return overlapping() && dInFormat != null ? List.of(dInFormat) : List.of();
    }
}
