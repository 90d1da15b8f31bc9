package org.edgetrain.nn;

import org.edgetrain.loss.LossKind;

import java.util.List;
import java.util.Locale;

/**
 * What a layer is, before any memory exists: parsed from a config's {@code layers} line or made by
 * {@link org.edgetrain.nn.NetworkSpec.Builder}. {@code toString()} prints the config spelling, which model files store and parse back.
 */
public sealed interface LayerSpec {
    // ---- the descriptor: every question the rest of the code asks about a layer kind is answered here ----
    // A new kind is a record below answering these, its parse rule (LayerParser), its fp32 layer (Network), its int16
    // layer if it has one (fixed.FixedNetwork) and its tests. Its shape rule is outputShape (time × channels; a plain
    // vector is 1 × width): time layers answer it and refuse outputWidth alone.

    /**
     * Width after this layer given the width before it. Time layers (conv1d, pooling, upsample1d, gru) need the
     * time × channels shape instead: ask {@link #outputShape}.
     */
    int outputWidth(int in);

    /**
     * Shape (time × channels) after this layer given the shape before it; {@code name} (the layer's index) goes into the
     * error when the layer cannot read that shape. The default keeps the shape when the width stays (elementwise
     * layers, dropout, residual) and gives a plain vector otherwise.
     */
    default Shape outputShape(Shape in, String name) {
        int w = outputWidth(in.width());
        return w == in.width() ? in : Shape.flat(w);
    }

    /** What the health monitor watches it for. */
    default HealthRole healthRole() {
        return HealthRole.NONE;
    }

    /** The PyTorch module it matches (safetensors names follow nn.Sequential indices), e.g. {@code nn.Linear}. */
    String pytorchName();

    /** The ONNX operator it exports to, or null where there is none yet. */
    String onnxOp();

    /** Whether it holds trainable parameters (what {@code model.freeze} can name). */
    default boolean hasParameters() {
        return false;
    }

    /** Whether {@code loss} applies it itself when it ends the network (softmax under cross-entropy, sigmoid under BCE). */
    default boolean appliedByLoss(LossKind loss) {
        return false;
    }

    /**
     * Why int16 training ({@code engine.precision = fixed}) cannot run it, or null when an int16 layer exists (or, as
     * the last layer, the fp32 loss applies it).
     */
    String int16Refusal(boolean last, LossKind loss);

    /**
     * Fully connected: {@code y = x·Wᵀ + b}, W stored [out, in] like PyTorch's nn.Linear. {@code gain} scales the
     * initial weights (1 = the scheme's own scale); a small gain is the classic way to make a deep net's gradients vanish.
     */
    record Dense(int units, Init init, boolean bias, float gain) implements LayerSpec {
        public Dense {
            if (units < 1) throw new IllegalArgumentException("dense units must be >= 1, got " + units);
            if (!(gain > 0f) || Float.isInfinite(gain)) throw new IllegalArgumentException("dense gain must be > 0, got " + gain);
        }

        public Dense(int units, Init init, boolean bias) {
            this(units, init, bias, 1f);
        }

        @Override
        public int outputWidth(int in) {
            return units;
        }

        @Override
        public String pytorchName() {
            return "nn.Linear";
        }

        @Override
        public String onnxOp() {
            return "Gemm";
        }

        @Override
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedDense
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            if (in.sequence()) {
                throw new IllegalArgumentException(at(this, name) + " reads a " + in + " sequence (time × channels); put flatten or global_avgpool1d before it");
            }
            return Shape.flat(units);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("dense(").append(units);
            if (init != Init.AUTO) sb.append(", init=").append(init.configName());
            if (!bias) sb.append(", bias=false");
            if (gain != 1f) sb.append(", gain=").append(gain);
            return sb.append(')').toString();
        }
    }

    /** Leaky ReLU: {@code y = x > 0 ? x : slope·x}; the default activation. ReLU is slope 0. */
    record LeakyRelu(float slope) implements LayerSpec {
        public static final float DEFAULT_SLOPE = 0.01f;

        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public HealthRole healthRole() {
            return slope == 0f ? HealthRole.RELU_FAMILY : HealthRole.NONE;
        }

        @Override
        public String pytorchName() {
            return "nn.LeakyReLU";
        }

        @Override
        public String onnxOp() {
            return "LeakyRelu";
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return slope >= 0f && slope < 1f ? null : "leaky_relu needs a slope in [0, 1) in fixed point (a Q15 coefficient)";
        }

        @Override
        public String toString() {
            return slope == DEFAULT_SLOPE ? "leaky_relu" : "leaky_relu(" + num(slope) + ")";
        }
    }

    record Relu() implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public HealthRole healthRole() {
            return HealthRole.RELU_FAMILY;
        }

        @Override
        public String pytorchName() {
            return "nn.ReLU";
        }

        @Override
        public String onnxOp() {
            return "Relu";
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedLeakyRelu with slope 0
        }

        @Override
        public String toString() {
            return "relu";
        }
    }

    /** Parametric ReLU: the negative slope is learned, one per layer or one per unit; PyTorch starts it at 0.25. */
    record PRelu(boolean perUnit, float init) implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public String pytorchName() {
            return "nn.PReLU";
        }

        @Override
        public String onnxOp() {
            return "PRelu";
        }

        @Override
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return "prelu has no int16 layer (its slope would need an int16 gradient of its own)";
        }

        @Override
        public String toString() {
            if (!perUnit && init == 0.25f) return "prelu";
            return "prelu(" + (perUnit ? "per_unit, " : "") + "init=" + num(init) + ")";
        }
    }

    record Sigmoid() implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public HealthRole healthRole() {
            return HealthRole.SATURATING;
        }

        @Override
        public String pytorchName() {
            return "nn.Sigmoid";
        }

        @Override
        public String onnxOp() {
            return "Sigmoid";
        }

        @Override
        public boolean appliedByLoss(LossKind loss) {
            return loss == LossKind.BCE;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return last && appliedByLoss(loss) ? null : "sigmoid has no int16 layer inside the network (as the last layer under bce the loss applies it)";
        }

        @Override
        public String toString() {
            return "sigmoid";
        }
    }

    record Tanh() implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public HealthRole healthRole() {
            return HealthRole.SATURATING;
        }

        @Override
        public String pytorchName() {
            return "nn.Tanh";
        }

        @Override
        public String onnxOp() {
            return "Tanh";
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return "tanh has no int16 layer (it needs a lookup table or polynomial in int16)";
        }

        @Override
        public String toString() {
            return "tanh";
        }
    }

    record Softmax() implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public String pytorchName() {
            return "nn.Softmax";
        }

        @Override
        public String onnxOp() {
            return "Softmax";
        }

        @Override
        public boolean appliedByLoss(LossKind loss) {
            return loss == LossKind.CROSS_ENTROPY;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return last && appliedByLoss(loss) ? null : "softmax has no int16 layer inside the network (as the last layer under cross_entropy the loss applies it)";
        }

        @Override
        public String toString() {
            return "softmax";
        }
    }

    /** Inverted dropout: in training each unit is zeroed with probability {@code rate} and the rest scaled by 1/(1−rate). */
    record Dropout(float rate) implements LayerSpec {
        public Dropout {
            if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }

        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public String pytorchName() {
            return "nn.Dropout";
        }

        @Override
        public String onnxOp() {
            return "Dropout";
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return rate <= 0.5f ? null : "dropout above 0.5 in fixed point (its 1/(1-rate) gain must fit the format's headroom)";
        }

        @Override
        public String toString() {
            return "dropout(" + num(rate) + ")";
        }
    }

    /** BatchNorm1d with PyTorch's defaults: eps 1e-5, momentum 0.1 for the running statistics. */
    record BatchNorm(float eps, float momentum) implements LayerSpec {
        public static final float DEFAULT_EPS = 1e-5f;
        public static final float DEFAULT_MOMENTUM = 0.1f;

        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public HealthRole healthRole() {
            return HealthRole.NORMALIZING;
        }

        @Override
        public String pytorchName() {
            return "nn.BatchNorm1d";
        }

        @Override
        public String onnxOp() {
            return "BatchNormalization";
        }

        @Override
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return "batchnorm has no int16 layer";
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            if (in.sequence()) {
                throw new IllegalArgumentException(at(this, name) + " normalizes per feature, not per channel over time; it cannot follow a "
                        + in + " sequence: put flatten before it");
            }
            return in;
        }

        @Override
        public String toString() {
            if (eps == DEFAULT_EPS && momentum == DEFAULT_MOMENTUM) return "batchnorm";
            return "batchnorm(eps=" + num(eps) + ", momentum=" + num(momentum) + ")";
        }
    }

    /** {@code y = x + f(x)} where f is the block; the block must end at its input's width. */
    record Residual(List<LayerSpec> block) implements LayerSpec {
        public Residual {
            block = List.copyOf(block);
            if (block.isEmpty()) throw new IllegalArgumentException("residual block is empty");
        }

        @Override
        public int outputWidth(int in) {
            return in;
        }

        @Override
        public String pytorchName() {
            return "x + f(x), f an nn.Sequential";
        }

        @Override
        public String onnxOp() {
            return "Add";
        }

        @Override
        public boolean hasParameters() {
            return true; // its block's layers are named 3.0, 3.1, ...
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return "residual has no int16 layer";
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("residual(");
            for (int i = 0; i < block.size(); i++) sb.append(i == 0 ? "" : " ").append(block.get(i));
            return sb.append(')').toString();
        }
    }

    /**
     * A layer registered by name in {@link CustomLayers} (tests and in-package extensions); {@code units} is its
     * output width. It is written to model files by name, so reading one back needs the same registration.
     */
    record Custom(String kind, int units) implements LayerSpec {
        public Custom {
            if (units < 1) throw new IllegalArgumentException(kind + " units must be >= 1, got " + units);
        }

        @Override
        public int outputWidth(int in) {
            return units;
        }

        @Override
        public String pytorchName() {
            return kind;
        }

        @Override
        public String onnxOp() {
            return null;
        }

        @Override
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return kind + " is a registered fp32 layer without an int16 one";
        }

        @Override
        public String toString() {
            return kind + "(" + units + ")";
        }
    }

    /** How a convolution pads the window: none, both sides to keep the length (stride 1), or only the past. */
    enum Padding {
        VALID, SAME, CAUSAL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * 1-D convolution over time, {@code nn.Conv1d}: weight {@code [out, in, kernel]}, bias {@code [out]}. {@code same}
     * pads {@code dilation·(kernel−1)} split left-first like PyTorch's {@code padding='same'}; {@code causal} pads it all
     * on the left, so step t sees only steps ≤ t.
     */
    record Conv1d(int outChannels, int kernel, int stride, Padding padding, int dilation, boolean bias) implements LayerSpec {
        public Conv1d {
            if (outChannels < 1) throw new IllegalArgumentException("conv1d out_channels must be >= 1, got " + outChannels);
            if (kernel < 1) throw new IllegalArgumentException("conv1d kernel must be >= 1, got " + kernel);
            if (stride < 1) throw new IllegalArgumentException("conv1d stride must be >= 1, got " + stride);
            if (dilation < 1) throw new IllegalArgumentException("conv1d dilation must be >= 1, got " + dilation);
            if (padding == Padding.SAME && stride != 1) throw new IllegalArgumentException("conv1d padding=same needs stride 1 (as in PyTorch), got stride " + stride);
        }

        /** Padding before the first step. */
        public int padLeft() {
            int total = dilation * (kernel - 1);
            return switch (padding) {
                case VALID -> 0;
                case SAME -> total / 2;
                case CAUSAL -> total;
            };
        }

        /** Padding after the last step. */
        public int padRight() {
            return padding == Padding.SAME ? dilation * (kernel - 1) - padLeft() : 0;
        }

        /** Output steps for {@code time} input steps: ⌊(T + pads − dilation·(k−1) − 1) / stride⌋ + 1, or less than 1 if too short. */
        public int outputTime(int time) {
            int span = dilation * (kernel - 1) + 1;
            int padded = time + padLeft() + padRight();
            return padded < span ? 0 : (padded - span) / stride + 1;
        }

        @Override
        public int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            int t = outputTime(in.time());
            if (t < 1) {
                throw new IllegalArgumentException(at(this, name) + " spans " + (dilation * (kernel - 1) + 1) + " steps but its input is " + in
                        + " (time × channels)" + (padding == Padding.VALID ? "; use a shorter kernel or padding=same" : ""));
            }
            return new Shape(t, outChannels, true);
        }

        @Override
        public String pytorchName() {
            return "nn.Conv1d";
        }

        @Override
        public String onnxOp() {
            return null; // not exported yet (would be Conv; ONNX wants [N, C, L], so Transpose around it)
        }

        @Override
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedConv1d
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("conv1d(").append(outChannels).append(", ").append(kernel);
            if (stride != 1) sb.append(", stride=").append(stride);
            if (padding != Padding.VALID) sb.append(", padding=").append(padding.configName());
            if (dilation != 1) sb.append(", dilation=").append(dilation);
            if (!bias) sb.append(", bias=false");
            return sb.append(')').toString();
        }
    }

    /** Max or average over windows of {@code kernel} steps every {@code stride} steps, per channel; no padding (floor). */
    record Pool1d(boolean max, int kernel, int stride) implements LayerSpec {
        public Pool1d {
            if (kernel < 1) throw new IllegalArgumentException((max ? "maxpool1d" : "avgpool1d") + " kernel must be >= 1, got " + kernel);
            if (stride < 1) throw new IllegalArgumentException((max ? "maxpool1d" : "avgpool1d") + " stride must be >= 1, got " + stride);
        }

        public int outputTime(int time) {
            return time < kernel ? 0 : (time - kernel) / stride + 1;
        }

        @Override
        public int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            int t = outputTime(in.time());
            if (t < 1) throw new IllegalArgumentException(at(this, name) + " pools " + kernel + " steps but its input is " + in + " (time × channels)");
            return new Shape(t, in.channels(), true);
        }

        @Override
        public String pytorchName() {
            return max ? "nn.MaxPool1d" : "nn.AvgPool1d";
        }

        @Override
        public String onnxOp() {
            return null; // not exported yet (would be max ? MaxPool : AveragePool; ONNX wants [N, C, L], so Transpose around it)
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedMaxPool1d, fixed.FixedAvgPool1d
        }

        @Override
        public String toString() {
            return (max ? "maxpool1d(" : "avgpool1d(") + kernel + (stride != kernel ? ", stride=" + stride : "") + ")";
        }
    }

    /** Mean over all steps per channel: {@code nn.AdaptiveAvgPool1d(1)} + flatten; the output is a vector of channels. */
    record GlobalAvgPool1d() implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            return Shape.flat(in.channels());
        }

        @Override
        public String pytorchName() {
            return "nn.AdaptiveAvgPool1d(1) + nn.Flatten";
        }

        @Override
        public String onnxOp() {
            return null; // not exported yet (would be GlobalAveragePool; ONNX wants [N, C, L], so Transpose around it)
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedGlobalAvgPool1d
        }

        @Override
        public String toString() {
            return "global_avgpool1d";
        }
    }

    /** Nearest-neighbour upsampling in time, {@code nn.Upsample(scale_factor, mode='nearest')}: each step repeated. */
    record Upsample1d(int factor) implements LayerSpec {
        public Upsample1d {
            if (factor < 1) throw new IllegalArgumentException("upsample1d factor must be >= 1, got " + factor);
        }

        @Override
        public int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            return new Shape(in.time() * factor, in.channels(), true);
        }

        @Override
        public String pytorchName() {
            return "nn.Upsample(mode='nearest')";
        }

        @Override
        public String onnxOp() {
            return null; // not exported yet (would be Resize; ONNX wants [N, C, L], so Transpose around it)
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedUpsample1d
        }

        @Override
        public String toString() {
            return "upsample1d(" + factor + ")";
        }
    }

    /** Reads time × channels as one vector, in row order ({@code nn.Flatten} on {@code [N, L, C]}); copies nothing. */
    record Flatten() implements LayerSpec {
        @Override
        public int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            return Shape.flat(in.width());
        }

        @Override
        public String pytorchName() {
            return "nn.Flatten";
        }

        @Override
        public String onnxOp() {
            return null; // not exported yet (would be Flatten; ONNX wants [N, C, L], so Transpose around it)
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return null; // fixed.FixedFlatten
        }

        @Override
        public String toString() {
            return "flatten";
        }
    }

    /**
     * One-layer GRU, {@code nn.GRU(batch_first=True)}: gates r, z, n in that order in {@code weight_ih_l0 [3H, C]},
     * {@code weight_hh_l0 [3H, H]}, {@code bias_ih_l0}, {@code bias_hh_l0}; h starts at 0. The output is the last
     * step's h (a vector) or every step's ({@code sequences=all}, time × hidden).
     */
    record Gru(int hidden, boolean allSteps) implements LayerSpec {
        public Gru {
            if (hidden < 1) throw new IllegalArgumentException("gru hidden must be >= 1, got " + hidden);
        }

        @Override
        public int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            return allSteps ? new Shape(in.time(), hidden, true) : Shape.flat(hidden);
        }

        @Override
        public String pytorchName() {
            return "nn.GRU(batch_first=True)";
        }

        @Override
        public String onnxOp() {
            return null; // not exported yet (would be GRU; ONNX wants [N, C, L], so Transpose around it)
        }

        @Override
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return "a GRU multiplies gated states step after step, which one int16 scale per tensor does not hold; train it in fp32";
        }

        @Override
        public String toString() {
            return "gru(" + hidden + (allSteps ? ", sequences=all" : "") + ")";
        }
    }

    /** Width after this layer given the width before it. */
    static int outputWidth(LayerSpec spec, int in) {
        return spec.outputWidth(in);
    }

    /** Shape after this layer given the shape before it (see {@link LayerSpec#outputShape(Shape, String)}). */
    static Shape outputShape(LayerSpec spec, Shape in, String name) {
        return spec.outputShape(in, name);
    }

    private static String at(LayerSpec spec, String name) {
        return "layer " + name + " (" + spec + ")";
    }

    private static IllegalStateException needsShape(LayerSpec spec) {
        return new IllegalStateException(spec + ": the width after a time layer depends on time × channels; ask outputShape");
    }

    private static String num(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return String.format(Locale.ROOT, "%.1f", v);
        return Float.toString(v).replace("E", "e");
    }
}
