package org.edgetrain.nn;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * 1-D convolution over time, PyTorch's {@code nn.Conv1d} on the transposed window: input {@code [T, C]}, output
 * {@code [T', C']}, weight {@code [C', C, K]}, bias {@code [C']}.
 *
 * <p>Forward is the {@code conv1dForward} kernel (direct: the weights repacked to {@code [k, c, o]}, no im2col; the
 * sensor models' channel counts are too small for the dense kernels' dot products over {@code c·K}). Backward copies
 * each output step's receptive field into a row of {@code col [batch·T', C·K]} (index {@code c·K + k}, zeros where
 * padding) so that the products are the dense kernels with W viewed as {@code [C', C·K]}: {@code dW = dYᵀ·col},
 * {@code db = Σ dY}, {@code dcol = dY·W}, then col2im adds dcol back into dL/dX.
 */
final class Conv1d extends Layer {
    private final LayerSpec.Conv1d spec;
    private final int inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft, colWidth;
    private Parameter weight;
    private Parameter bias;
    private Slot colSlot;
    private Slot dcolSlot;
    private Slot packSlot;
    private int w, b = -1, dw = -1, db = -1, col, dcol = -1, pack;

    Conv1d(String name, Shape in, LayerSpec.Conv1d spec, boolean frozen) {
        super(name, in.width(), spec.outputTime(in.time()) * spec.outChannels(), frozen);
        this.spec = spec;
        this.inTime = in.time();
        this.inCh = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.outCh = spec.outChannels();
        this.kernel = spec.kernel();
        this.stride = spec.stride();
        this.dilation = spec.dilation();
        this.padLeft = spec.padLeft();
        this.colWidth = inCh * kernel;
    }

    @Override
    public String describe() {
        return "conv1d " + inTime + "×" + inCh + "→" + outTime + "×" + outCh + " k" + kernel
                + (stride != 1 ? " s" + stride : "") + (dilation != 1 ? " d" + dilation : "")
                + (spec.padding() != LayerSpec.Padding.VALID ? " " + spec.padding().configName() : "");
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        weight = p.parameter(this, "weight", !frozen, outCh, inCh, kernel);
        if (spec.bias()) bias = p.parameter(this, "bias", !frozen, outCh);
        colSlot = p.activation(this, "im2col", outTime * colWidth);
        packSlot = p.cache(this, "weight as [k, c, o] for the forward", Kernels.conv1dPackFloats(inCh, outCh, kernel));
    }

    @Override
    void planBackward(Planner p) {
        if (dInSlot != null) dcolSlot = p.scratch(this, "dL/d(im2col)", outTime * colWidth);
    }

    @Override
    void bind(float[] arena, Kernels k) {
        super.bind(arena, k);
        w = weight.offset();
        dw = weight.gradOffset();
        if (bias != null) {
            b = bias.offset();
            db = bias.gradOffset();
        }
        col = colSlot.offset();
        pack = packSlot.offset();
        dcol = dcolSlot == null ? -1 : dcolSlot.offset();
    }

    @Override
    boolean hasTrainable() {
        return !frozen;
    }

    /** PyTorch's default: kaiming_uniform(a=√5) = U(±1/√fan_in) for the weight, the same bound for the bias. */
    @Override
    void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt(colWidth);
        for (int i = 0; i < outCh * colWidth; i++) a[w + i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        if (bias != null) for (int o = 0; o < outCh; o++) a[b + o] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.conv1dForward(a, x, w, b, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        int rows = batch * outTime;
        if (dw >= 0) {
            kernels.im2col(a, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
            kernels.denseWeightGrad(a, dy, col, dw, rows, colWidth, outCh, accumulate); // dL/dW (+)= dYᵀ·col
            if (db >= 0) kernels.biasGrad(a, dy, db, rows, outCh, accumulate); // dL/db (+)= Σ dY
        }
        if (dx >= 0) {
            kernels.denseInputGrad(a, dy, w, dcol, rows, colWidth, outCh); // dL/dcol = dY·W
            kernels.col2im(a, dcol, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        }
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
