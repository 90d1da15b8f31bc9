package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A network's architecture: input width, layers in order (numbered like a PyTorch nn.Sequential, activations
 * included), and which of them are frozen. Immutable; {@link Network#build} turns it into memory.
 *
 * <pre>{@code
 * NetworkSpec spec = NetworkSpec.builder(64).dense(128).leakyRelu().dense(10).build();
 * }</pre>
 */
public final class NetworkSpec {
    private final int inputs;
    private final int channels;
    private final List<LayerSpec> layers;
    private final Set<String> frozen;

    public NetworkSpec(int inputs, List<LayerSpec> layers, Set<String> frozen) {
        this(inputs, 1, layers, frozen);
    }

    /**
     * @param channels how the input row is read by time layers: {@code inputs/channels} steps of {@code channels}
     *                 values, oldest first (a sensor window); 1 for a plain feature vector
     */
    public NetworkSpec(int inputs, int channels, List<LayerSpec> layers, Set<String> frozen) {
        if (inputs < 1) throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
        if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
        if (channels < 1 || inputs % channels != 0) {
            throw new IllegalArgumentException("inputs " + inputs + " are not a whole number of steps of " + channels + " channels");
        }
        this.inputs = inputs;
        this.channels = channels;
        this.layers = List.copyOf(layers);
        this.frozen = Collections.unmodifiableSet(new LinkedHashSet<>(frozen));
        checkWidths();
    }

    public static Builder builder(int inputs) {
        return new Builder(inputs);
    }

    public int inputs() {
        return inputs;
    }

    public List<LayerSpec> layers() {
        return layers;
    }

    /** Channels per time step of the input row (1 for a plain feature vector). */
    public int channels() {
        return channels;
    }

    /** Whether a layer reads the input's time × channels structure (so that {@link #channels()} matters). */
    public boolean readsTime() {
        return readsTime(layers);
    }

    private static boolean readsTime(List<LayerSpec> block) {
        for (LayerSpec l : block) if (l.readsTime()) return true;
        return false;
    }

    /** The input as time layers read it. */
    public Shape inputShape() {
        return Shape.input(inputs, channels);
    }

    /** Frozen layer names in PyTorch numbering: {@code "0"}, or {@code "3.0"} inside a residual block. */
    public Set<String> frozen() {
        return frozen;
    }

    /** The same architecture with other layers frozen. */
    public NetworkSpec withFrozen(Set<String> names) {
        return new NetworkSpec(inputs, channels, layers, names);
    }

    public int outputs() {
        return checkBlock(layers, inputShape(), "").width();
    }

    private void checkWidths() {
        checkBlock(layers, inputShape(), "");
    }

    /** The shape after each top-level layer, in order (time × channels; see {@link Shape}). */
    public List<Shape> shapes() {
        List<Shape> out = new ArrayList<>();
        Shape s = inputShape();
        for (int i = 0; i < layers.size(); i++) {
            s = checkBlock(List.of(layers.get(i)), s, "", i);
            out.add(s);
        }
        return out;
    }

    private static Shape checkBlock(List<LayerSpec> block, Shape shape, String prefix) {
        return checkBlock(block, shape, prefix, 0);
    }

    private static Shape checkBlock(List<LayerSpec> block, Shape shape, String prefix, int firstIndex) {
        for (int k = 0; k < block.size(); k++) shape = LayerSpec.outputShape(block.get(k), shape, prefix + (firstIndex + k)); // a residual checks its block
        return shape;
    }

    /** The layers in config spelling, e.g. {@code dense(128) leaky_relu dense(10)}. */
    public String layersText() {
        StringBuilder sb = new StringBuilder();
        for (LayerSpec l : layers) sb.append(sb.length() == 0 ? "" : " ").append(l);
        return sb.toString();
    }

    /** e.g. {@code 64-128-64-10}: the widths at each dense layer; {@code 32x3-conv16-conv16-10} with time layers. */
    public String shortName() {
        StringBuilder sb = new StringBuilder();
        if (channels == 1) sb.append(inputs);
        else sb.append(inputs / channels).append('x').append(channels);
        appendWidths(layers, sb);
        return sb.toString();
    }

    private static void appendWidths(List<LayerSpec> block, StringBuilder sb) {
        for (LayerSpec l : block) {
            String part = l.shortName();
            if (part != null) sb.append('-').append(part);
        }
    }

    @Override
    public String toString() {
        return "inputs=" + inputs + (channels == 1 ? "" : " channels=" + channels) + " layers=" + layersText() + (frozen.isEmpty() ? "" : " frozen=" + frozen);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec n && n.inputs == inputs && n.channels == channels && n.layers.equals(layers) && n.frozen.equals(frozen);
    }

    @Override
    public int hashCode() {
        return inputs * 31 + layers.hashCode();
    }

    /** Fluent construction for library users. */
    public static final class Builder {
        private final int inputs;
        private int channels = 1;
        private final List<LayerSpec> layers = new ArrayList<>();
        private final Set<String> frozen = new LinkedHashSet<>();

        private Builder(int inputs) {
            this.inputs = inputs;
        }

        public Builder add(LayerSpec layer) {
            layers.add(layer);
            return this;
        }

        /** Reads the input row as steps of {@code channels} values (a sensor window), for the time layers. */
        public Builder channels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder conv1d(int outChannels, int kernel) {
            return add(new LayerSpec.Conv1d(outChannels, kernel, 1, LayerSpec.Padding.VALID, 1, true));
        }

        public Builder conv1d(int outChannels, int kernel, int stride, LayerSpec.Padding padding, int dilation) {
            return add(new LayerSpec.Conv1d(outChannels, kernel, stride, padding, dilation, true));
        }

        public Builder maxPool1d(int kernel) {
            return add(new LayerSpec.Pool1d(true, kernel, kernel));
        }

        public Builder avgPool1d(int kernel) {
            return add(new LayerSpec.Pool1d(false, kernel, kernel));
        }

        public Builder globalAvgPool1d() {
            return add(new LayerSpec.GlobalAvgPool1d());
        }

        public Builder upsample1d(int factor) {
            return add(new LayerSpec.Upsample1d(factor));
        }

        public Builder flatten() {
            return add(new LayerSpec.Flatten());
        }

        public Builder gru(int hidden, boolean allSteps) {
            return add(new LayerSpec.Gru(hidden, allSteps));
        }

        public Builder dense(int units) {
            return add(new LayerSpec.Dense(units, Init.AUTO, true));
        }

        public Builder dense(int units, Init init) {
            return add(new LayerSpec.Dense(units, init, true));
        }

        public Builder leakyRelu() {
            return add(new LayerSpec.LeakyRelu(LayerSpec.LeakyRelu.DEFAULT_SLOPE));
        }

        public Builder leakyRelu(float slope) {
            return add(new LayerSpec.LeakyRelu(slope));
        }

        public Builder relu() {
            return add(new LayerSpec.Relu());
        }

        public Builder prelu() {
            return add(new LayerSpec.PRelu(false, 0.25f));
        }

        public Builder sigmoid() {
            return add(new LayerSpec.Sigmoid());
        }

        public Builder tanh() {
            return add(new LayerSpec.Tanh());
        }

        public Builder softmax() {
            return add(new LayerSpec.Softmax());
        }

        public Builder dropout(float rate) {
            return add(new LayerSpec.Dropout(rate));
        }

        public Builder batchNorm() {
            return add(new LayerSpec.BatchNorm(LayerSpec.BatchNorm.DEFAULT_EPS, LayerSpec.BatchNorm.DEFAULT_MOMENTUM));
        }

        public Builder residual(LayerSpec... block) {
            return add(new LayerSpec.Residual(List.of(block)));
        }

        /** Freezes the most recently added layer (its parameters keep their values; no gradient memory is planned). */
        public Builder frozen() {
            frozen.add(Integer.toString(layers.size() - 1));
            return this;
        }

        public NetworkSpec build() {
            return new NetworkSpec(inputs, channels, layers, frozen);
        }
    }
}
