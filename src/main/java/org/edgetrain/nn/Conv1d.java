package org.edgetrain.nn;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * 1-D convolution over time, PyTorch's {@code nn.Conv1d} on the transposed window: input {@code [T, C]}, output
 * {@code [T', C']}, weight {@code [C', C, K]}, bias {@code [C']}.
 *
 * <p>Computed as im2col + the dense kernels: each output step's receptive field is copied into a row of
 * {@code col [batch·T', C·K]} (index {@code c·K + k}, zeros where padding), so that {@code Y = col·Wᵀ + b} is exactly
 * {@code denseForward} with W viewed as {@code [C', C·K]}. The native dense micro-kernels do the work; col is cached
 * for dL/dW. Backward: {@code dW = dYᵀ·col}, {@code db = Σ dY}, {@code dcol = dY·W}, then col2im adds dcol back
 * into dL/dX.
 */
final class Conv1d extends Layer {
    private final LayerSpec.Conv1d spec;
    private final int inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft, colWidth;
    private Parameter weight;
    private Parameter bias;
    private Slot colSlot;
    private Slot dcolSlot;
    private int w, b = -1, dw = -1, db = -1, col, dcol = -1;

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
        im2col(a, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        kernels.denseForward(a, col, w, b, y, batch * outTime, colWidth, outCh); // Y = col·Wᵀ + b
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        int rows = batch * outTime;
        if (dw >= 0) {
            kernels.denseWeightGrad(a, dy, col, dw, rows, colWidth, outCh, accumulate); // dL/dW (+)= dYᵀ·col
            if (db >= 0) kernels.biasGrad(a, dy, db, rows, outCh, accumulate); // dL/db (+)= Σ dY
        }
        if (dx >= 0) {
            kernels.denseInputGrad(a, dy, w, dcol, rows, colWidth, outCh); // dL/dcol = dY·W
            col2im(a, dcol, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        }
    }

    /** {@code col[b·T'+t, c·K+k] = x[b, t·stride + k·dilation − padLeft, c]}, 0 outside the window. */
    static void im2col(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride,
                       int dilation, int padLeft) {
        int cw = inCh * kernel;
        for (int n = 0; n < batch; n++) {
            int xs = x + n * inTime * inCh;
            for (int t = 0; t < outTime; t++) {
                int row = col + (n * outTime + t) * cw;
                int t0 = t * stride - padLeft;
                for (int k = 0; k < kernel; k++) {
                    int ti = t0 + k * dilation;
                    if (ti < 0 || ti >= inTime) {
                        for (int c = 0; c < inCh; c++) a[row + c * kernel + k] = 0f;
                    } else {
                        int src = xs + ti * inCh;
                        for (int c = 0; c < inCh; c++) a[row + c * kernel + k] = a[src + c];
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: {@code dx = 0; dx[b, t·stride + k·dilation − padLeft, c] += dcol[b·T'+t, c·K+k]}. */
    static void col2im(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride,
                       int dilation, int padLeft) {
        java.util.Arrays.fill(a, dx, dx + batch * inTime * inCh, 0f);
        int cw = inCh * kernel;
        for (int n = 0; n < batch; n++) {
            int xs = dx + n * inTime * inCh;
            for (int t = 0; t < outTime; t++) {
                int row = dcol + (n * outTime + t) * cw;
                int t0 = t * stride - padLeft;
                for (int k = 0; k < kernel; k++) {
                    int ti = t0 + k * dilation;
                    if (ti < 0 || ti >= inTime) continue;
                    int dst = xs + ti * inCh;
                    for (int c = 0; c < inCh; c++) a[dst + c] += a[row + c * kernel + k];
                }
            }
        }
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
