package org.edgetrain.nn;

import org.edgetrain.loss.LossKind;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a layer is, before any memory exists: parsed from a config's {@code layers} line or made by
 * {@link org.edgetrain.nn.NetworkSpec.Builder}. {@code toString()} prints the config spelling, which model files store and parse back.
 */
public sealed interface LayerSpec {
    // ---- the descriptor: every question the rest of the code asks about a layer kind is answered here ----
    // A new kind is one record below answering these (its KIND says how a layers line spells it; list it in
    // LayerKinds), its fp32 Layer class (build), its int16 layer through Int16Layers if it has one, and its tests.
    // Its shape rule is outputShape (time × channels; a plain vector is 1 × width): time layers implement
    // TimeLayerSpec, which answers the width, ONNX and int16 questions the same way for all of them.

    /**
     * Width after this layer given the width before it; the default keeps it (activations, dropout, batchnorm,
     * residual). Time layers (conv1d, pooling, upsample1d, gru) need the time × channels shape instead: ask
     * {@link #outputShape}.
     */
    default int outputWidth(int in) {
        return in;
    }

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

    /**
     * Adds its inference-form ONNX operator after value {@code x} and returns the output's value name; {@code name} is
     * its PyTorch nn.Sequential name, which its tensors carry. The default is {@link #onnxOp()} on {@code x} alone;
     * never called when {@code onnxOp()} is null.
     */
    default String onnx(OnnxNodes g, String name, String x) {
        return g.node(onnxOp(), configName(this), new String[] {x});
    }

    /** Its fp32 layer at one position of a {@link Network}. */
    Layer build(LayerBuild at);

    /**
     * Its int16 layer, made by {@code make}, or null when it has none: then {@link #int16Refusal} says why (or, as the
     * last layer, the fp32 loss applies it).
     */
    default <L> L int16Layer(Int16Layers<L> make) {
        return null;
    }

    /** The negative slope a dense layer before it initializes for (He), or NaN when it is not ReLU-like. */
    default float reluSlope() {
        return Float.NaN;
    }

    /** Whether it reads the input's time × channels structure (so that {@code model.channels} matters). */
    default boolean readsTime() {
        return false;
    }

    /** Its part of {@link NetworkSpec#shortName()}, e.g. {@code 128} for {@code dense(128)}, or null for none. */
    default String shortName() {
        return null;
    }

    /** The same layer with {@code init} where it initializes by the scheme's default ({@code model.init}). */
    default LayerSpec withInit(Init init) {
        return this;
    }

    /** The same layer with no randomness in training (dropout rate 0): the gradient check's deterministic forward. */
    default LayerSpec withoutDropout() {
        return this;
    }

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
        public static final LayerKind KIND = new LayerKind(List.of("dense", "linear"), "dense(units)", "dense(4)", 1,
                List.of("units", "init", "bias", "gain"), new Function<>() {
                    @Override
                    public LayerSpec apply(LayerArgs a) {
                        int units = a.intArg(0, "units", -1);
                        if (units < 1) throw new IllegalArgumentException("dense needs a number of units >= 1, e.g. dense(128)");
                        String initName = a.word("init", "auto");
                        Init init = Init.parse(initName);
                        if (init == null) throw new IllegalArgumentException("dense init '" + initName + "' is unknown; allowed: " + Init.allowed());
                        float gain = a.floatArg(-1, "gain", 1f);
                        if (!(gain > 0f) || Float.isInfinite(gain)) throw new IllegalArgumentException("dense gain must be a number > 0, found " + gain);
                        return new Dense(units, init, a.bool("bias", true), gain);
                    }
                });

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
            return null; // fixed.FixedDense, see int16Layer
        }

        @Override
        public Shape outputShape(Shape in, String name) {
            if (in.sequence()) {
                throw new IllegalArgumentException(at(this, name) + " reads a " + in + " sequence (time × channels); put flatten or global_avgpool1d before it");
            }
            return Shape.flat(units);
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Dense(at.name, at.width(), units, init, gain, bias, at.reluSlopeAfter(), at.frozen);
        }

        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.dense(this);
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) {
            // y = x·Wᵀ + b: Gemm with transB, W stored [out, in] as nn.Linear
            String w = g.weight(name + ".weight");
            return bias ? g.node("Gemm", "dense", new String[] {x, w, g.weight(name + ".bias")}, "transB", 1L)
                    : g.node("Gemm", "dense", new String[] {x, w}, "transB", 1L);
        }

        @Override
        public String shortName() {
            return Integer.toString(units);
        }

        @Override
        public LayerSpec withInit(Init scheme) {
            return init == Init.AUTO ? new Dense(units, scheme, bias, gain) : this;
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
        public static final LayerKind KIND = new LayerKind(List.of("leaky_relu"), "leaky_relu[(slope)]", "leaky_relu(0.2)", 1, List.of("slope"), new Function<>() {
            @Override
            public LayerSpec apply(LayerArgs a) {
                float slope = a.floatArg(0, "slope", LeakyRelu.DEFAULT_SLOPE);
                if (!(slope >= 0f && slope < 1f)) throw new IllegalArgumentException("leaky_relu slope must be in [0, 1), found " + slope);
                return new LeakyRelu(slope);
            }
        });
        public static final float DEFAULT_SLOPE = 0.01f;

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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.LeakyRelu(at.name, at.width(), slope);
        }

        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return int16Refusal(false, null) == null ? make.leakyRelu(slope) : null;
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) {
            return slope == 0f ? g.node("Relu", "relu", new String[] {x}) : g.node("LeakyRelu", "leaky_relu", new String[] {x}, "alpha", slope);
        }

        @Override
        public float reluSlope() {
            return slope;
        }

        @Override
        public String toString() {
            return slope == DEFAULT_SLOPE ? "leaky_relu" : "leaky_relu(" + num(slope) + ")";
        }
    }

    record Relu() implements LayerSpec {
        public static final LayerKind KIND = LayerKind.plain("relu", new Relu());

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
            return null; // fixed.FixedLeakyRelu with slope 0, see int16Layer
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Relu(at.name, at.width());
        }

        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.leakyRelu(0f);
        }

        @Override
        public float reluSlope() {
            return 0f;
        }

        @Override
        public String toString() {
            return "relu";
        }
    }

    /** Parametric ReLU: the negative slope is learned, one per layer or one per unit; PyTorch starts it at 0.25. */
    record PRelu(boolean perUnit, float init) implements LayerSpec {
        public static final LayerKind KIND = new LayerKind(List.of("prelu"), "prelu[(per_unit, init=0.25)]", "prelu(per_unit, init=0.1)", 1, List.of("per_unit", "init"), new Function<>() {
            @Override
            public LayerSpec apply(LayerArgs a) {
                boolean perUnit = a.flag("per_unit");
                return new PRelu(perUnit, a.floatArg(0, "init", 0.25f));
            }
        });

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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.PRelu(at.name, at.width(), perUnit, init, at.frozen);
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) {
            return g.node("PRelu", "prelu", new String[] {x, g.weight(name + ".weight")});
        }

        @Override
        public float reluSlope() {
            return init;
        }

        @Override
        public String toString() {
            if (!perUnit && init == 0.25f) return "prelu";
            return "prelu(" + (perUnit ? "per_unit, " : "") + "init=" + num(init) + ")";
        }
    }

    record Sigmoid() implements LayerSpec {
        public static final LayerKind KIND = LayerKind.plain("sigmoid", new Sigmoid());

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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Sigmoid(at.name, at.width());
        }

        @Override
        public String toString() {
            return "sigmoid";
        }
    }

    record Tanh() implements LayerSpec {
        public static final LayerKind KIND = LayerKind.plain("tanh", new Tanh());

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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Tanh(at.name, at.width());
        }

        @Override
        public String toString() {
            return "tanh";
        }
    }

    record Softmax() implements LayerSpec {
        public static final LayerKind KIND = LayerKind.plain("softmax", new Softmax());

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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Softmax(at.name, at.width());
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) {
            return g.node("Softmax", "softmax", new String[] {x}, "axis", 1L);
        }

        @Override
        public String toString() {
            return "softmax";
        }
    }

    /** Inverted dropout: in training each unit is zeroed with probability {@code rate} and the rest scaled by 1/(1−rate). */
    record Dropout(float rate) implements LayerSpec {
        public static final LayerKind KIND = new LayerKind(List.of("dropout"), "dropout(rate)", "dropout(0.25)", 1, List.of("rate"), new Function<>() {
            @Override
            public LayerSpec apply(LayerArgs a) {
                float rate = a.floatArg(0, "rate", Float.NaN);
                if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout needs a rate in [0, 1), e.g. dropout(0.1)");
                return new Dropout(rate);
            }
        });

        public Dropout {
            if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Dropout(at.name, at.width(), rate, at.dropoutRng);
        }

        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return int16Refusal(false, null) == null ? make.dropout(rate) : null;
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) {
            return x; // identity at inference
        }

        @Override
        public LayerSpec withoutDropout() {
            return new Dropout(0f);
        }

        @Override
        public String toString() {
            return "dropout(" + num(rate) + ")";
        }
    }

    /** BatchNorm1d with PyTorch's defaults: eps 1e-5, momentum 0.1 for the running statistics. */
    record BatchNorm(float eps, float momentum) implements LayerSpec {
        public static final LayerKind KIND = new LayerKind(List.of("batchnorm", "batch_norm", "batchnorm1d"), "batchnorm[(eps=, momentum=)]", "batchnorm(eps=0.001, momentum=0.2)", 0,
                List.of("eps", "momentum"), new Function<>() {
                    @Override
                    public LayerSpec apply(LayerArgs a) {
                        float eps = a.floatArg(-1, "eps", BatchNorm.DEFAULT_EPS);
                        float momentum = a.floatArg(-1, "momentum", BatchNorm.DEFAULT_MOMENTUM);
                        if (!(eps > 0f)) throw new IllegalArgumentException("batchnorm eps must be > 0, found " + eps);
                        if (!(momentum > 0f && momentum <= 1f)) throw new IllegalArgumentException("batchnorm momentum must be in (0, 1], found " + momentum);
                        return new BatchNorm(eps, momentum);
                    }
                });
        public static final float DEFAULT_EPS = 1e-5f;
        public static final float DEFAULT_MOMENTUM = 0.1f;

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
        public Layer build(LayerBuild at) {
            return new BatchNorm1d(at.name, at.width(), eps, momentum, at.frozen);
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) {
            return g.node("BatchNormalization", "batchnorm", new String[] {x, g.weight(name + ".weight"), g.weight(name + ".bias"),
                    g.weight(name + ".running_mean"), g.weight(name + ".running_var")}, "epsilon", eps);
        }

        @Override
        public String toString() {
            if (eps == DEFAULT_EPS && momentum == DEFAULT_MOMENTUM) return "batchnorm";
            return "batchnorm(eps=" + num(eps) + ", momentum=" + num(momentum) + ")";
        }
    }

    /** {@code y = x + f(x)} where f is the block; the block must end at its input's width. */
    record Residual(List<LayerSpec> block) implements LayerSpec {
        /** Written {@code residual(layers...)}: the parser reads its block itself, so it has no argument rule. */
        public static final LayerKind KIND = new LayerKind(List.of("residual"), "residual(layers...)", "residual(dense(6) relu)", 0, List.of(), null);

        public Residual {
            block = List.copyOf(block);
            if (block.isEmpty()) throw new IllegalArgumentException("residual block is empty");
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

        /** Checks the block (its layers named {@code name.0, name.1, ...}) ends at its input's shape. */
        @Override
        public Shape outputShape(Shape in, String name) {
            Shape inner = in;
            for (int k = 0; k < block.size(); k++) inner = block.get(k).outputShape(inner, name + "." + k);
            if (inner.width() != in.width() || (in.sequence() && !inner.equals(in))) {
                throw new IllegalArgumentException("residual block " + name + " maps width " + in.width() + " to "
                        + inner.width() + "; its output must have its input's width" + (in.sequence() ? " and shape " + in : ""));
            }
            return in;
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Residual(at.name, at.width(), at.block(block));
        }

        @Override
        public String onnx(OnnxNodes g, String name, String x) { // y = x + f(x)
            String y = x;
            for (int k = 0; k < block.size(); k++) y = g.layer(block.get(k), name + "." + k, y);
            return g.node("Add", "residual", new String[] {x, y});
        }

        @Override
        public boolean readsTime() {
            for (LayerSpec l : block) if (l.readsTime()) return true;
            return false;
        }

        @Override
        public String shortName() {
            StringBuilder sb = new StringBuilder("(");
            for (LayerSpec l : block) {
                String part = l.shortName();
                if (part != null) sb.append(sb.length() > 1 ? "-" : "").append(part);
            }
            return sb.append(')').toString();
        }

        @Override
        public LayerSpec withInit(Init init) {
            return new Residual(block.stream().map(l -> l.withInit(init)).toList());
        }

        @Override
        public LayerSpec withoutDropout() {
            return new Residual(block.stream().map(LayerSpec::withoutDropout).toList());
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
        public Layer build(LayerBuild at) {
            return CustomLayers.create(this, at.name, at.width(), at.frozen);
        }

        @Override
        public String toString() {
            return kind + "(" + units + ")";
        }
    }

    /**
     * A layer that reads time × channels (conv1d, pooling, upsample1d, flatten, gru): its width alone is undefined (ask
     * {@link #outputShape}), and it has no ONNX operator yet; the int16 refusal below is the default for a new time kind
     * (conv1d, the pooling layers, upsample1d and flatten have int16 layers; gru refuses with its own reason).
     */
    sealed interface TimeLayerSpec extends LayerSpec {
        @Override
        Shape outputShape(Shape in, String name);

        @Override
        default int outputWidth(int in) {
            throw needsShape(this);
        }

        @Override
        default String onnxOp() {
            return null; // not exported yet (ONNX wants [N, C, L], so each would need a Transpose around it)
        }

        /** Every time layer but gru has an int16 layer in {@code fixed}; one without it must say why here. */
        @Override
        default String int16Refusal(boolean last, LossKind loss) {
            return null;
        }

        @Override
        default boolean readsTime() {
            return true;
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
    record Conv1d(int outChannels, int kernel, int stride, Padding padding, int dilation, boolean bias) implements TimeLayerSpec {
        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.conv1d(this);
        }

        public static final LayerKind KIND = new LayerKind(List.of("conv1d"),
                "conv1d(out_channels, kernel[, stride=1, padding=valid|same|causal, dilation=1, bias=true])", "conv1d(3, 2, padding=causal)", 3,
                List.of("out_channels", "kernel", "stride", "padding", "dilation", "bias"), new Function<>() {
                    @Override
                    public LayerSpec apply(LayerArgs a) {
                        int outCh = a.intArg(0, "out_channels", -1);
                        int kernel = a.intArg(1, "kernel", -1);
                        if (outCh < 1 || kernel < 1) throw new IllegalArgumentException("conv1d needs out_channels >= 1 and kernel >= 1, e.g. conv1d(16, 5)");
                        String pad = a.word("padding", "valid");
                        Padding padding = switch (pad) {
                            case "valid" -> Padding.VALID;
                            case "same" -> Padding.SAME;
                            case "causal" -> Padding.CAUSAL;
                            default -> throw new IllegalArgumentException("conv1d padding '" + pad + "' is unknown; allowed: valid, same, causal");
                        };
                        return new Conv1d(outCh, kernel, a.intArg(2, "stride", 1), padding, a.intArg(-1, "dilation", 1), a.bool("bias", true));
                    }
                });

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
        public boolean hasParameters() {
            return true;
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Conv1d(at.name, at.shape, this, at.frozen);
        }

        @Override
        public String shortName() {
            return "conv" + outChannels;
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
    record Pool1d(boolean max, int kernel, int stride) implements TimeLayerSpec {
        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.pool1d(this);
        }

        public static final LayerKind MAX_KIND = kind("maxpool1d", true), AVG_KIND = kind("avgpool1d", false);

        private static LayerKind kind(String name, boolean max) {
            return new LayerKind(List.of(name), name + "(kernel[, stride])", name + "(2)", 2, List.of("kernel", "stride"), new Function<>() {
                @Override
                public LayerSpec apply(LayerArgs a) {
                    int kernel = a.intArg(0, "kernel", -1);
                    if (kernel < 1) throw new IllegalArgumentException(name + " needs a kernel >= 1, e.g. " + name + "(2)");
                    return new Pool1d(max, kernel, a.intArg(1, "stride", kernel));
                }
            });
        }

        public Pool1d {
            if (kernel < 1) throw new IllegalArgumentException((max ? "maxpool1d" : "avgpool1d") + " kernel must be >= 1, got " + kernel);
            if (stride < 1) throw new IllegalArgumentException((max ? "maxpool1d" : "avgpool1d") + " stride must be >= 1, got " + stride);
        }

        public int outputTime(int time) {
            return time < kernel ? 0 : (time - kernel) / stride + 1;
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
        public Layer build(LayerBuild at) {
            return max ? new MaxPool1d(at.name, at.shape, this) : new AvgPool1d(at.name, at.shape, this);
        }

        @Override
        public String toString() {
            return (max ? "maxpool1d(" : "avgpool1d(") + kernel + (stride != kernel ? ", stride=" + stride : "") + ")";
        }
    }

    /** Mean over all steps per channel: {@code nn.AdaptiveAvgPool1d(1)} + flatten; the output is a vector of channels. */
    record GlobalAvgPool1d() implements TimeLayerSpec {
        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.globalAvgPool1d();
        }

        public static final LayerKind KIND = LayerKind.plain("global_avgpool1d", new GlobalAvgPool1d());

        @Override
        public Shape outputShape(Shape in, String name) {
            return Shape.flat(in.channels());
        }

        @Override
        public String pytorchName() {
            return "nn.AdaptiveAvgPool1d(1) + nn.Flatten";
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.GlobalAvgPool1d(at.name, at.shape);
        }

        @Override
        public String toString() {
            return "global_avgpool1d";
        }
    }

    /** Nearest-neighbour upsampling in time, {@code nn.Upsample(scale_factor, mode='nearest')}: each step repeated. */
    record Upsample1d(int factor) implements TimeLayerSpec {
        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.upsample1d(factor);
        }

        public static final LayerKind KIND = new LayerKind(List.of("upsample1d"), "upsample1d(factor)", "upsample1d(2)", 1, List.of("factor"), new Function<>() {
            @Override
            public LayerSpec apply(LayerArgs a) {
                int factor = a.intArg(0, "factor", -1);
                if (factor < 1) throw new IllegalArgumentException("upsample1d needs a factor >= 1, e.g. upsample1d(2)");
                return new Upsample1d(factor);
            }
        });

        public Upsample1d {
            if (factor < 1) throw new IllegalArgumentException("upsample1d factor must be >= 1, got " + factor);
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
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Upsample1d(at.name, at.shape, factor);
        }

        @Override
        public String toString() {
            return "upsample1d(" + factor + ")";
        }
    }

    /** Reads time × channels as one vector, in row order ({@code nn.Flatten} on {@code [N, L, C]}); copies nothing. */
    record Flatten() implements TimeLayerSpec {
        @Override
        public <L> L int16Layer(Int16Layers<L> make) {
            return make.flatten();
        }

        public static final LayerKind KIND = LayerKind.plain("flatten", new Flatten());

        @Override
        public Shape outputShape(Shape in, String name) {
            return Shape.flat(in.width());
        }

        @Override
        public String pytorchName() {
            return "nn.Flatten";
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Flatten(at.name, at.shape);
        }

        @Override
        public boolean readsTime() {
            return false; // a plain vector flattens to itself
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
    record Gru(int hidden, boolean allSteps) implements TimeLayerSpec {
        public static final LayerKind KIND = new LayerKind(List.of("gru"), "gru(hidden[, sequences=last|all])", "gru(3, sequences=all)", 1, List.of("hidden", "sequences"), new Function<>() {
            @Override
            public LayerSpec apply(LayerArgs a) {
                int hidden = a.intArg(0, "hidden", -1);
                if (hidden < 1) throw new IllegalArgumentException("gru needs a hidden size >= 1, e.g. gru(32)");
                String seq = a.word("sequences", "last");
                if (!seq.equals("last") && !seq.equals("all")) throw new IllegalArgumentException("gru sequences '" + seq + "' is unknown; allowed: last, all");
                return new Gru(hidden, seq.equals("all"));
            }
        });

        public Gru {
            if (hidden < 1) throw new IllegalArgumentException("gru hidden must be >= 1, got " + hidden);
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
        public boolean hasParameters() {
            return true;
        }

        @Override
        public String int16Refusal(boolean last, LossKind loss) {
            return "a GRU multiplies gated states step after step, which one int16 scale per tensor does not hold; train it in fp32";
        }

        @Override
        public Layer build(LayerBuild at) {
            return new org.edgetrain.nn.Gru(at.name, at.shape, this, at.frozen);
        }

        @Override
        public String shortName() {
            return "gru" + hidden;
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

    /** The kind's name as a layers line writes it, e.g. {@code conv1d} for {@code conv1d(16, 5)}. */
    static String configName(LayerSpec spec) {
        String text = spec.toString();
        int paren = text.indexOf('(');
        return paren < 0 ? text : text.substring(0, paren);
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
