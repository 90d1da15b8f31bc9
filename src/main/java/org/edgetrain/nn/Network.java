package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * A network planned once into a fixed arena. Construction only plans (layer objects and slots, no arena);
 * {@link #bind} attaches the arena, after which forward and backward allocate nothing.
 *
 * <p>Wiring: each layer reads its predecessor's output slot and writes its own; activation gradients ping-pong
 * between two buffers of the widest boundary (a residual block keeps two of its own, so dL/dy survives for the skip
 * connection). The first layer computes no input gradient, and backward stops at the first layer with nothing
 * trainable at or before it (AIfES's flags, derived here). When the loss fuses the final activation (softmax under
 * cross-entropy, sigmoid under BCE), training skips that layer and the loss reads the logits.
 */
public final class Network {
    private final NetworkSpec spec;
    private final int batch;
    private final List<Layer> layers;
    private final boolean fuseFinal;
    private final List<Layer> trained; // the layers training runs: all, or all but a fused final activation
    private final Planner planner;
    private final Slot inputSlot;
    private final Slot lossGradSlot;
    private final Rng dropoutRng;
    private final Map<Layer, Boolean> needsInputGrad = new IdentityHashMap<>();
    private final int trainableFloats;
    private final long seed;
    private float[] a;
    private int input = -1, lossInput = -1, lossGrad = -1, output = -1, paramBase = -1, gradBase = -1;

    /**
     * Plans a network into {@code plan}.
     *
     * @param batch     rows per step, the most any forward will see
     * @param fuseFinal true when the loss applies the final softmax/sigmoid itself (the layer is skipped in training)
     * @param seed      fixes initialization and dropout masks
     */
    public Network(NetworkSpec spec, int batch, boolean fuseFinal, long seed, MemoryPlan.Builder plan) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        this.spec = spec;
        this.batch = batch;
        this.seed = seed;
        this.dropoutRng = Rng.stream(seed, "dropout");
        this.layers = build(spec.layers(), spec.inputShape(), "", spec.frozen());
        LayerSpec last = spec.layers().get(spec.layers().size() - 1);
        this.fuseFinal = fuseFinal && (last.appliedByLoss(LossKind.CROSS_ENTROPY) || last.appliedByLoss(LossKind.BCE)); // softmax, sigmoid
        this.trained = this.fuseFinal ? List.copyOf(layers.subList(0, layers.size() - 1)) : layers; // made once: backward allocates nothing
        this.planner = new Planner(plan, batch);
        this.inputSlot = plan.add(Region.INPUTS, "net", "input [" + batch + ", " + spec.inputs() + "]", (long) batch * spec.inputs());
        wireForward(layers, inputSlot);
        markInputGrads(layers, false);
        List<Layer> trained = trainedChain();
        int widest = widest(layers, spec.inputs());
        if (anyRunsBackward(trained)) {
            Slot g0 = planner.activationGradient("net", "dL/d(activations) A", widest);
            Slot g1 = planner.activationGradient("net", "dL/d(activations) B", widest);
            this.lossGradSlot = g0;
            wireBackward(trained, g0, null, new Slot[] {g1, g0});
            planBackward(trained);
        } else {
            this.lossGradSlot = planner.activationGradient("net", "dL/d(output)", lossInputWidth());
        }
        this.trainableFloats = planner.trainableFloats;
    }

    // ---- construction ----

    /** Each layer as its kind's descriptor builds it ({@link LayerSpec#build}), with the shape its predecessor gives. */
    private List<Layer> build(List<LayerSpec> specs, Shape shape, String prefix, Set<String> frozen) {
        List<Layer> out = new ArrayList<>();
        LayerBuild.Blocks blocks = new Blocks(frozen);
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            String name = prefix + i;
            LayerSpec next = i + 1 < specs.size() ? specs.get(i + 1) : null;
            Layer layer = s.build(new LayerBuild(name, shape, frozen.contains(name), next, dropoutRng, blocks));
            out.add(layer);
            shape = LayerSpec.outputShape(s, shape, name);
            layer.shape = shape;
        }
        return out;
    }

    /** A residual's block, built like the top level (a class, not a lambda: the daemon bootstraps none). */
    private final class Blocks implements LayerBuild.Blocks {
        private final Set<String> frozen;

        Blocks(Set<String> frozen) {
            this.frozen = frozen;
        }

        @Override
        public List<Layer> build(List<LayerSpec> block, Shape in, String prefix, boolean all) {
            return Network.this.build(block, in, prefix, all ? withBlock(frozen, prefix, block.size()) : frozen);
        }
    }

    /** {@code frozen} and every layer of a frozen block: {@code prefix0, prefix1, ...}. */
    private static Set<String> withBlock(Set<String> frozen, String prefix, int size) {
        Set<String> inner = new HashSet<>(frozen);
        for (int k = 0; k < size; k++) inner.add(prefix + k);
        return inner;
    }

    private void wireForward(List<Layer> chain, Slot input) {
        Slot current = input;
        for (Layer l : chain) {
            l.inputSlot = current;
            if (l instanceof Residual) wireForward(l.children(), current);
            l.plan(planner);
            current = l.outputSlot;
        }
    }

    /** Records for each layer whether an earlier layer is trainable (then it must produce dL/d(input)). */
    private boolean markInputGrads(List<Layer> chain, boolean trainableBefore) {
        for (Layer l : chain) {
            needsInputGrad.put(l, trainableBefore);
            if (l instanceof Residual) markInputGrads(l.children(), trainableBefore);
            trainableBefore |= l.hasTrainable();
        }
        return trainableBefore;
    }

    private void wireBackward(List<Layer> chain, Slot dOutOfLast, Slot dInOfFirst, Slot[] temps) {
        Slot dOut = dOutOfLast;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Layer l = chain.get(i);
            l.dOutSlot = dOut;
            boolean needsDx = needsInputGrad.get(l);
            if (!l.hasTrainable() && !needsDx) break; // not runsBackward(l): dInSlot is only assigned below
            Slot target = null;
            if (needsDx) target = i == 0 ? dInOfFirst : (temps[0] != dOut ? temps[0] : temps[1]);
            l.dInSlot = target;
            if (l instanceof Residual r) {
                Slot[] inner = temps;
                if (r.children().size() >= 2) {
                    int w = widest(r.children(), r.inputWidth());
                    r.tempA = planner.plan.add(Region.SCRATCH, r.name, "block dL/da A [" + batch + ", " + w + "]", (long) batch * w);
                    r.tempB = planner.plan.add(Region.SCRATCH, r.name, "block dL/da B [" + batch + ", " + w + "]", (long) batch * w);
                    inner = new Slot[] {r.tempA, r.tempB};
                }
                wireBackward(r.children(), dOut, target, inner);
            }
            if (target == null) break;
            dOut = target;
        }
    }

    /** Backward-only scratch (im2col gradients, a GRU's per-step gate gradients), now that dInSlot is known. */
    private void planBackward(List<Layer> chain) {
        for (Layer l : chain) {
            if (l.dOutSlot != null && runsBackward(l)) l.planBackward(planner);
            planBackward(l.children());
        }
    }

    static boolean runsBackward(Layer l) {
        return l.hasTrainable() || l.dInSlot != null;
    }

    private boolean anyRunsBackward(List<Layer> chain) {
        for (Layer l : chain) if (l.hasTrainable()) return true;
        return false;
    }

    private List<Layer> trainedChain() {
        return trained;
    }

    private static int widest(List<Layer> chain, int inputWidth) {
        int w = inputWidth;
        for (Layer l : chain) {
            w = Math.max(w, l.outputWidth());
            if (!l.children().isEmpty()) w = Math.max(w, widest(l.children(), l.inputWidth()));
        }
        return w;
    }

    private int lossInputWidth() {
        List<Layer> t = trainedChain();
        return t.isEmpty() ? spec.inputs() : t.get(t.size() - 1).outputWidth();
    }

    // ---- binding ----

    /** Attaches the arena and kernels and initializes parameters from the seed. */
    public void bind(Arena arena, Kernels kernels) {
        this.a = arena.data();
        bindAll(layers, kernels);
        input = inputSlot.offset();
        List<Layer> t = trainedChain();
        lossInput = t.isEmpty() ? input : t.get(t.size() - 1).y;
        output = layers.get(layers.size() - 1).y;
        lossGrad = lossGradSlot.offset();
        if (trainableFloats > 0) {
            paramBase = arena.plan().regionBase(Region.PARAMETERS);
            gradBase = arena.plan().regionBase(Region.GRADIENTS);
        }
        checkTrainableBlockLayout();
        initialize();
    }

    private void bindAll(List<Layer> chain, Kernels kernels) {
        for (Layer l : chain) {
            l.bind(a, kernels);
            bindAll(l.children(), kernels);
        }
    }

    /** Sets every parameter and buffer to its seeded starting value. */
    public void initialize() {
        Rng rng = Rng.stream(seed, "init");
        initAll(layers, rng);
    }

    private static void initAll(List<Layer> chain, Rng rng) {
        for (Layer l : chain) {
            l.initialize(rng);
            initAll(l.children(), rng);
        }
    }

    /** Gradients must mirror parameters slot by slot, so the optimizer can treat them as one block. */
    private void checkTrainableBlockLayout() {
        for (Parameter p : planner.state) {
            if (p.kind() != Parameter.Kind.TRAINABLE) continue;
            int d = p.gradOffset() - p.offset();
            if (d != gradBase - paramBase) throw new IllegalStateException("gradient block does not mirror parameters at " + p.name());
        }
    }

    // ---- running ----

    /** Forward over {@code rows} rows already in the input slot. */
    public void forward(int rows, boolean training) {
        int n = training && fuseFinal ? layers.size() - 1 : layers.size();
        for (int i = 0; i < n; i++) layers.get(i).forward(rows, training);
    }

    /** Backward from dL/d(loss input) already in {@link #lossGradOffset()}; gradients are added. */
    public void backward(int rows) {
        backward(rows, true);
    }

    /**
     * Backward from dL/d(loss input); parameter gradients are added ({@code accumulate}) or replaced. Every trainable
     * tensor is written exactly once per backward, so replacing makes zeroing the gradient block unnecessary.
     */
    public void backward(int rows, boolean accumulate) {
        List<Layer> t = trainedChain();
        for (int i = t.size() - 1; i >= 0; i--) {
            Layer l = t.get(i);
            if (!runsBackward(l)) break;
            l.backward(rows, accumulate);
        }
    }

    /** Zeroes the whole gradient block. */
    public void zeroGradients() {
        if (trainableFloats > 0) Arrays.fill(a, gradientOffset(), gradientOffset() + trainableFloats, 0f);
    }

    // ---- accessors ----

    public NetworkSpec spec() {
        return spec;
    }

    public int batchCapacity() {
        return batch;
    }

    public int inputWidth() {
        return spec.inputs();
    }

    public int outputWidth() {
        return layers.get(layers.size() - 1).outputWidth();
    }

    /** Width the loss reads: the logits when the final activation is fused. */
    public int lossWidth() {
        return lossInputWidth();
    }

    public boolean fusesFinalActivation() {
        return fuseFinal;
    }

    public float[] arena() {
        return a;
    }

    public int inputOffset() {
        return input;
    }

    public int outputOffset() {
        return output;
    }

    public int lossInputOffset() {
        return lossInput;
    }

    public int lossGradOffset() {
        return lossGrad;
    }

    /** Floats in the trainable parameter block (padding included); gradients and optimizer state mirror it. */
    public int trainableFloats() {
        return trainableFloats;
    }

    /** Offset of the trainable parameter block, or -1 when nothing is trainable. */
    public int parameterOffset() {
        return paramBase;
    }

    /** Offset of the gradient block, or -1 when nothing is trainable. */
    public int gradientOffset() {
        return gradBase;
    }

    /** All named tensors in state_dict order: parameters, buffers and counters. */
    public List<Parameter> state() {
        return Collections.unmodifiableList(planner.state);
    }

    /** Every layer in forward order, the layers inside residual blocks included (after their block). */
    public List<Layer> allLayers() {
        List<Layer> out = new ArrayList<>();
        flatten(layers, out);
        return Collections.unmodifiableList(out);
    }

    private static void flatten(List<Layer> chain, List<Layer> out) {
        for (Layer l : chain) {
            out.add(l);
            flatten(l.children(), out);
        }
    }

    /** Whether {@code l} runs in a training forward (a final activation the loss fuses does not). */
    public boolean runsInTraining(Layer l) {
        return !(fuseFinal && l == layers.get(layers.size() - 1));
    }

    /** Top-level layers in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** The dropout stream, whose state a checkpoint saves. */
    public Rng dropoutRng() {
        return dropoutRng;
    }

    /** Number of trainable scalars (without padding). */
    public long trainableParameterCount() {
        long n = 0;
        for (Parameter p : planner.state) if (p.kind() == Parameter.Kind.TRAINABLE) n += p.size();
        return n;
    }
}
