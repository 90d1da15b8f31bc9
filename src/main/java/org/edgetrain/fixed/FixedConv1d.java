package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.Shape;

/**
 * {@code nn.Conv1d} in fixed point, the int16 twin of {@code nn.Conv1d}'s fp32 layer: input {@code [T, C]}, output
 * {@code [T', C']}, weight {@code [C', C, K]} (PyTorch's layout and name), bias {@code [C']}.
 *
 * <p>Forward is im2col into the int16 dense product: each output step's receptive field is copied (exactly, zeros
 * where padded) into a row of {@code col [batch·T', C·K]}, index {@code c·K + k}, so {@code Y = col·Wᵀ + b} is
 * {@link FixedKernels#denseForward} with W viewed as {@code [C', C·K]}, native when the library is loaded. col is
 * cached (it shares the input's format) for {@code dW = dYᵀ·col} and {@code db = Σ dY}, again the dense kernels.
 * dL/dX is a transposed convolution, also as one dense product summed exactly and narrowed once: the gradients that
 * reach input step i are gathered into a row of {@code dycol [T, C'·K]} (index {@code o·K + k}: dY at the output step
 * that read x[i] through tap k, 0 where none did), one sample and as many rows as the im2col buffer holds at a time
 * (im2col is free once dW is computed), and multiplied by W rearranged as {@code Wt [C, C'·K]}. Going
 * through an int16 dL/dcol and col2im instead would round every overlapping term before adding them.
 */
final class FixedConv1d extends FixedLayer {
    private final int inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft, colWidth;
    private final boolean hasBias;
    FixedParameter weight;
    FixedParameter bias;
    private Slot colSlot, dyColSlot, wtSlot;
    private int gatherRows;
    int col = -1, dyCol = -1, wt = -1;

    FixedConv1d(String name, Shape in, LayerSpec.Conv1d spec) {
        super(name, in.width(), spec.outputTime(in.time()) * spec.outChannels());
        this.inTime = in.time();
        this.inCh = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.outCh = spec.outChannels();
        this.kernel = spec.kernel();
        this.stride = spec.stride();
        this.dilation = spec.dilation();
        this.padLeft = spec.padLeft();
        this.colWidth = inCh * kernel;
        this.hasBias = spec.bias();
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + outTime + ", " + outCh + "]", batch * out);
        outFormat = new QFormat(name + ".output", 12, false);
        colSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "im2col [" + batch * outTime + ", " + colWidth + "]",
                batch * outTime * colWidth);
        weight = FixedParameter.planned(plan, name, "weight", outCh, inCh, kernel);
        if (hasBias) bias = FixedParameter.planned(plan, name, "bias", outCh);
    }

    @Override
    void planBackward() {
        dInFormat = new QFormat(name + ".dinput", 12, false);
    }

    @Override
    void planBackwardScratch(MemoryPlan.Builder plan, int batch) {
        if (dInSlot == null) return;
        // the gathered rows reuse im2col, free once dL/dW is computed, in blocks of as many rows as it holds; only an
        // im2col smaller than one row gets a buffer of its own
        int width = outCh * kernel;
        gatherRows = Math.min(inTime, batch * outTime * colWidth / width);
        if (gatherRows < 1) {
            gatherRows = inTime;
            dyColSlot = plan.add(ElementType.I16, Region.SCRATCH, name, "dL/dy gathered per input step [" + inTime + ", " + width + "]",
                    inTime * width);
        }
        wtSlot = plan.add(ElementType.I16, Region.SCRATCH, name, "weight rearranged [" + inCh + ", " + outCh * kernel + "]", inCh * outCh * kernel);
    }

    @Override
    void bind(short[] arena, FixedKernels k) {
        super.bind(arena, k);
        col = colSlot.offset();
        if (wtSlot != null) {
            dyCol = dyColSlot != null ? dyColSlot.offset() : col;
            wt = wtSlot.offset();
        }
        weight.bind();
        if (bias != null) bias.bind();
    }

    @Override
    void forward(int batch, boolean training) {
        im2col(a, x, col, batch);
        int acc = inFormat.frac() + weight.format.frac(); // the accumulator's fractional bits
        int b = bias == null ? -1 : bias.p;
        int biasShift = bias == null ? 0 : acc - bias.format.frac();
        // Y = col·Wᵀ + b, rows = batch·T'
        kernels.denseForward(a, col, weight.p, b, biasShift, y, batch * outTime, colWidth, outCh, acc - outFormat.frac(), outFormat.stats());
    }

    @Override
    void backward(int batch) {
        int rows = batch * outTime, fdy = dOutFormat.frac();
        // dL/dW = dYᵀ·col, dL/db = Σ dY over batch and time
        kernels.denseWeightGrad(a, dy, col, weight.g, rows, colWidth, outCh, fdy + inFormat.frac() - weight.gradFormat.frac(),
                weight.gradFormat.stats());
        if (bias != null) kernels.biasGrad(a, dy, bias.g, rows, outCh, fdy - bias.gradFormat.frac(), bias.gradFormat.stats());
        if (dx >= 0) {
            rearrangeWeight();
            int shift = fdy + weight.format.frac() - dInFormat.frac();
            for (int n = 0; n < batch; n++) {
                for (int i0 = 0; i0 < inTime; i0 += gatherRows) { // dL/dX[n, i0 ..] = dycol·Wtᵀ
                    int rowsHere = Math.min(gatherRows, inTime - i0);
                    gatherOutputGradient(n, i0, rowsHere);
                    kernels.denseForward(a, dyCol, wt, -1, 0, dx + n * in + i0 * inCh, rowsHere, outCh * kernel, inCh, shift, dInFormat.stats());
                }
            }
        }
    }

    /** {@code col[n·T'+t, c·K+k] = x[n, t·stride + k·dilation − padLeft, c]}, 0 outside the window. */
    private void im2col(short[] a, int x, int col, int batch) {
        for (int n = 0; n < batch; n++) {
            int xs = x + n * in;
            for (int t = 0; t < outTime; t++) {
                int row = col + (n * outTime + t) * colWidth;
                int t0 = t * stride - padLeft;
                for (int k = 0; k < kernel; k++) {
                    int ti = t0 + k * dilation;
                    if (ti < 0 || ti >= inTime) {
                        for (int c = 0; c < inCh; c++) a[row + c * kernel + k] = 0;
                    } else {
                        int src = xs + ti * inCh;
                        for (int c = 0; c < inCh; c++) a[row + c * kernel + k] = a[src + c];
                    }
                }
            }
        }
    }

    /**
     * For sample n, input steps {@code from .. from+count}: {@code dycol[i − from, o·K+k] = dY[n, t, o]} for the output step t that read x[i] through tap k
     * ({@code t·stride + k·dilation − padLeft = i}), 0 where no output step did: then
     * {@code dL/dx[n, i, c] = Σ_{o,k} dycol[i, o·K+k] · W[o, c, k]}.
     */
    private void gatherOutputGradient(int n, int from, int count) {
        int width = outCh * kernel, dys = dy + n * out;
        for (int i = from; i < from + count; i++) {
            int row = dyCol + (i - from) * width;
            for (int k = 0; k < kernel; k++) {
                int tt = i + padLeft - k * dilation; // = t·stride
                int t = tt / stride;
                if (tt < 0 || tt % stride != 0 || t >= outTime) {
                    for (int o = 0; o < outCh; o++) a[row + o * kernel + k] = 0;
                } else {
                    int src = dys + t * outCh;
                    for (int o = 0; o < outCh; o++) a[row + o * kernel + k] = a[src + o];
                }
            }
        }
    }

    /** {@code Wt[c, o·K+k] = W[o, c, k]}. */
    private void rearrangeWeight() {
        int w = weight.p, width = outCh * kernel;
        for (int o = 0; o < outCh; o++) {
            for (int c = 0; c < inCh; c++) System.arraycopy(a, w + o * colWidth + c * kernel, a, wt + c * width + o * kernel, kernel);
        }
    }

    @Override
    List<FixedParameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    List<QFormat> ownFormats() {
        List<QFormat> f = new ArrayList<>(List.of(outFormat, weight.gradFormat));
        if (bias != null) f.add(bias.gradFormat);
        if (dInFormat != null) f.add(dInFormat);
        return f;
    }
}
