package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.Int16Layers;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Shape;
import org.edgetrain.util.Rng;

/**
 * A network in fixed point, planned once into the int16 block of an arena, wired like {@link org.edgetrain.nn.Network}:
 * each layer reads its predecessor's output, activation gradients ping-pong between two buffers of the widest
 * boundary, the first dense layer computes no input gradient. A final softmax (cross-entropy) or sigmoid (BCE) is
 * left to the fp32 loss.
 */
public final class FixedNetwork {
    private final NetworkSpec spec;
    private final int batch;
    private final List<FixedLayer> layers = new ArrayList<>();
    private final List<FixedParameter> parameters = new ArrayList<>();
    private final List<QFormat> formats = new ArrayList<>();
    private final QFormat inputFormat = new QFormat("input", 12, false);
    private final QFormat lossGradFormat = new QFormat("dL/dlogits", 12, false);
    private final Slot inputSlot;
    private final Slot lossGradSlot;
    private final Rng dropoutRng;
    private final int lossWidth;
    private int firstTrained;
    private FixedLayer[] chain;
    private short[] a;
    private int input = -1, logits = -1, lossGrad = -1;

    /**
     * Plans the network into {@code plan}; {@code skipFinal} when the loss applies the final softmax or sigmoid.
     * The caller has checked {@code FixedSupport.unsupported}.
     */
    public FixedNetwork(NetworkSpec spec, int batch, boolean skipFinal, long seed, MemoryPlan.Builder plan) {
        this.spec = spec;
        this.batch = batch;
        this.dropoutRng = Rng.stream(seed, "dropout");
        List<LayerSpec> specs = spec.layers();
        int n = skipFinal ? specs.size() - 1 : specs.size();
        int width = spec.inputs();
        int widest = width;
        this.inputSlot = plan.add(ElementType.I16, Region.INPUTS, "net", "input [" + batch + ", " + width + "]", batch * width);
        Slot current = inputSlot;
        QFormat currentFormat = inputFormat;
        Shape shape = spec.inputShape(); // time × channels, for the time layers
        firstTrained = -1;
        for (int i = 0; i < n; i++) {
            LayerSpec s = specs.get(i);
            String name = Integer.toString(i);
            FixedLayer l = s.int16Layer(new Maker(name, width, shape, dropoutRng)); // the kind's descriptor names its int16 layer
            if (l == null) throw new IllegalArgumentException("layer " + i + " (" + s + ") is not supported in fixed point");
            shape = s.outputShape(shape, name);
            l.inputSlot = current;
            l.inFormat = currentFormat;
            l.plan(plan, batch);
            layers.add(l);
            parameters.addAll(l.parameters());
            if (firstTrained < 0 && !l.parameters().isEmpty()) firstTrained = i;
            current = l.outputSlot;
            currentFormat = l.outFormat;
            width = l.out;
            widest = Math.max(widest, width);
        }
        this.lossWidth = width;
        formats.add(inputFormat);
        formats.add(lossGradFormat);
        // backward: dL/d(logits) in buffer A, then alternate; the first trained layer writes no input gradient
        Slot g0 = plan.add(ElementType.I16, Region.ACTIVATION_GRADIENTS, "net", "dL/d(activations) A [" + batch + ", " + widest + "]",
                batch * widest);
        Slot g1 = plan.add(ElementType.I16, Region.ACTIVATION_GRADIENTS, "net", "dL/d(activations) B [" + batch + ", " + widest + "]",
                batch * widest);
        this.lossGradSlot = g0;
        Slot dOut = g0;
        QFormat dOutFormat = lossGradFormat;
        for (int i = layers.size() - 1; i >= Math.max(firstTrained, 0); i--) {
            FixedLayer l = layers.get(i);
            l.dOutSlot = dOut;
            l.dOutFormat = dOutFormat;
            if (i > firstTrained) {
                l.dInSlot = dOut == g0 ? g1 : g0;
                l.planBackward();
                l.planBackwardScratch(plan, batch);
                dOut = l.dInSlot;
                dOutFormat = l.dInFormat;
            }
        }
        for (FixedLayer l : layers) formats.addAll(l.ownFormats());
    }

    /** The int16 layers, as a layer kind asks for its own at position {@code name} reading {@code width} values. */
    /** Makes the int16 layer a kind's descriptor names, at one position: its name, input width and shape. */
    static final class Maker implements Int16Layers<FixedLayer> {
        private final String name;
        private final int width;
        private final Shape shape;
        private final Rng dropoutRng;

        Maker(String name, int width, Shape shape, Rng dropoutRng) {
            this.name = name;
            this.width = width;
            this.shape = shape;
            this.dropoutRng = dropoutRng;
        }

        @Override
        public FixedLayer dense(LayerSpec.Dense d) {
            return new FixedDense(name, width, d.units(), d.bias());
        }

        @Override
        public FixedLayer leakyRelu(float slope) {
            return new FixedLeakyRelu(name, width, slope);
        }

        @Override
        public FixedLayer dropout(float rate) {
            return new FixedDropout(name, width, rate, dropoutRng);
        }

        @Override
        public FixedLayer conv1d(LayerSpec.Conv1d spec) {
            return new FixedConv1d(name, shape, spec);
        }

        @Override
        public FixedLayer pool1d(LayerSpec.Pool1d spec) {
            return spec.max() ? new FixedMaxPool1d(name, shape, spec) : new FixedAvgPool1d(name, shape, spec);
        }

        @Override
        public FixedLayer globalAvgPool1d() {
            return new FixedGlobalAvgPool1d(name, shape);
        }

        @Override
        public FixedLayer upsample1d(int factor) {
            return new FixedUpsample1d(name, shape, factor);
        }

        @Override
        public FixedLayer flatten() {
            return new FixedFlatten(name, width);
        }
    }

    /** Attaches the arena and kernels. */
    public void bind(Arena arena, FixedKernels kernels) {
        this.a = arena.shorts();
        this.chain = layers.toArray(new FixedLayer[0]);
        for (FixedLayer l : layers) l.bind(a, kernels);
        input = inputSlot.offset();
        logits = layers.isEmpty() ? input : layers.get(layers.size() - 1).y;
        lossGrad = lossGradSlot.offset();
    }

    public void forward(int rows, boolean training) {
        for (FixedLayer l : chain) l.forward(rows, training);
    }

    public void backward(int rows) {
        if (firstTrained < 0) return;
        for (int i = chain.length - 1; i >= firstTrained; i--) chain[i].backward(rows);
    }

    /** Quantizes {@code rows} rows of floats into the input slot, row {@code r} from {@code x[xOffset(r)...]}. */
    public void quantizeInput(float[] x, int xOffset, int rows) {
        int in = spec.inputs();
        for (int i = 0; i < rows * in; i++) a[input + i] = inputFormat.quantize(x[xOffset + i]);
    }

    public void quantizeInputRow(float[] x, int xOffset, int row) {
        int in = spec.inputs();
        int at = input + row * in;
        for (int i = 0; i < in; i++) a[at + i] = inputFormat.quantize(x[xOffset + i]);
    }

    /** The logits of the last forward in real units, into {@code f[z ...]}. */
    public void dequantizeLogits(float[] f, int z, int rows) {
        QFormat fmt = layers.isEmpty() ? inputFormat : layers.get(layers.size() - 1).outFormat;
        for (int i = 0; i < rows * lossWidth; i++) f[z + i] = fmt.real(a[logits + i]);
    }

    /** Quantizes dL/d(logits) from the fp32 loss into the first gradient buffer. */
    public void quantizeLossGradient(float[] f, int dz, int rows) {
        for (int i = 0; i < rows * lossWidth; i++) a[lossGrad + i] = lossGradFormat.quantize(f[dz + i]);
    }

    public NetworkSpec spec() {
        return spec;
    }

    public int batchCapacity() {
        return batch;
    }

    public int inputWidth() {
        return spec.inputs();
    }

    /** Width of the logits the loss reads. */
    public int lossWidth() {
        return lossWidth;
    }

    /** Trainable tensors in state_dict order. */
    public List<FixedParameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Every activation and gradient format (not the stored ones of parameters). */
    public List<QFormat> activationFormats() {
        return Collections.unmodifiableList(formats);
    }

    public Rng dropoutRng() {
        return dropoutRng;
    }

    public short[] arena() {
        return a;
    }

    /** The ReLU-family layers' int16 outputs (their offsets valid once bound): the health monitor counts dead units there. */
    public List<FixedActivation> reluOutputs() {
        List<FixedActivation> out = new ArrayList<>();
        for (FixedLayer l : layers) if (l.reluFamily()) out.add(new FixedActivation(l));
        return out;
    }
}
