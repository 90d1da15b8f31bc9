package org.edgetrain.nn;

import java.util.List;
import java.util.Locale;

/**
 * What a layer is, before any memory exists: parsed from a config's {@code layers} line or made by
 * {@link org.edgetrain.nn.NetworkSpec.Builder}. {@code toString()} prints the config spelling, which model files store and parse back.
 */
public sealed interface LayerSpec {

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
        public String toString() {
            return slope == DEFAULT_SLOPE ? "leaky_relu" : "leaky_relu(" + num(slope) + ")";
        }
    }

    record Relu() implements LayerSpec {
        @Override
        public String toString() {
            return "relu";
        }
    }

    /** Parametric ReLU: the negative slope is learned, one per layer or one per unit; PyTorch starts it at 0.25. */
    record PRelu(boolean perUnit, float init) implements LayerSpec {
        @Override
        public String toString() {
            if (!perUnit && init == 0.25f) return "prelu";
            return "prelu(" + (perUnit ? "per_unit, " : "") + "init=" + num(init) + ")";
        }
    }

    record Sigmoid() implements LayerSpec {
        @Override
        public String toString() {
            return "sigmoid";
        }
    }

    record Tanh() implements LayerSpec {
        @Override
        public String toString() {
            return "tanh";
        }
    }

    record Softmax() implements LayerSpec {
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
        public String toString() {
            return "dropout(" + num(rate) + ")";
        }
    }

    /** BatchNorm1d with PyTorch's defaults: eps 1e-5, momentum 0.1 for the running statistics. */
    record BatchNorm(float eps, float momentum) implements LayerSpec {
        public static final float DEFAULT_EPS = 1e-5f;
        public static final float DEFAULT_MOMENTUM = 0.1f;

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
        public String toString() {
            return kind + "(" + units + ")";
        }
    }

    /** Width after this layer given the width before it. */
    static int outputWidth(LayerSpec spec, int in) {
        if (spec instanceof Dense d) return d.units();
        if (spec instanceof Custom c) return c.units();
        return in;
    }

    private static String num(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return String.format(Locale.ROOT, "%.1f", v);
        return Float.toString(v).replace("E", "e");
    }
}
