package org.edgetrain.nn;

import java.util.List;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * One step of a network, in the llm.c shape: {@code forward} reads its input and writes its output, caching what
 * {@code backward} needs; {@code backward} reads dL/d(output), ADDS into its parameter gradients, and (when an earlier
 * layer needs it) overwrites dL/d(input). Layers never call each other; {@link Network} runs them in order.
 *
 * <p>Life cycle: constructed from a spec, {@link #plan} requests slots, the plan is built, {@link #bind} copies the
 * offsets into int fields, {@link #initialize} sets parameters. Slots for the input and the gradients are given by the
 * network ({@code inputSlot}, {@code dOutSlot}, {@code dInSlot}); each layer owns its output slot.
 */
public abstract class Layer {
    /** PyTorch nn.Sequential name: {@code "3"}, or {@code "3.0"} inside a residual block. */
    protected final String name;
    protected final int in;
    protected final int out;
    protected final boolean frozen;
    protected Kernels kernels;

    Shape shape; // of the output, set by the network: time × channels after a time layer

    // wiring, set while planning
    Slot inputSlot;
    Slot outputSlot;
    Slot dOutSlot;
    Slot dInSlot; // null when no earlier layer needs dL/d(input)

    // bound offsets into the arena
    protected float[] a;
    protected int x = -1, y = -1, dy = -1, dx = -1;

    protected Layer(String name, int in, int out, boolean frozen) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.frozen = frozen;
    }

    public String name() {
        return name;
    }

    public int inputWidth() {
        return in;
    }

    public int outputWidth() {
        return out;
    }

    /**
     * What health counts as one unit of the output: a channel when the output is a time × channels sequence (a ReLU
     * after a conv is dead only if a channel is off at every step), else each value.
     */
    public int units() {
        return shape != null && shape.sequence() ? shape.channels() : out;
    }

    /** The output's shape (time × channels); a plain vector is 1 × width. */
    public Shape outputShape() {
        return shape != null ? shape : Shape.flat(out);
    }

    /** A short description for plans and logs, e.g. {@code dense 64→128}. */
    public abstract String describe();

    /** What the health monitor watches this layer for (its kind's {@link LayerSpec#healthRole()}). */
    public HealthRole healthRole() {
        return HealthRole.NONE;
    }

    /** For a {@link HealthRole#SATURATING} layer: whether an output sits where the derivative is below 4 % of its peak. */
    public boolean saturated(float output) {
        return false;
    }

    /** Requests this layer's own slots: output, parameters, caches. Wiring slots are already set. */
    abstract void plan(Planner p);

    /** Requests scratch that only backward needs, once the network knows whether dL/d(input) is wanted ({@code dInSlot}). */
    void planBackward(Planner p) {
    }

    /** Copies slot offsets into fields; called once after the arena exists. */
    void bind(float[] arena, Kernels kernels) {
        this.a = arena;
        this.kernels = kernels;
        x = inputSlot.offset();
        y = outputSlot.offset();
        dy = dOutSlot == null ? -1 : dOutSlot.offset();
        dx = dInSlot == null ? -1 : dInSlot.offset();
    }

    /** Sets parameters and buffers to their starting values. */
    void initialize(Rng rng) {
    }

    /** Whether this layer owns trainable parameters (so backward must run for its gradients). */
    boolean hasTrainable() {
        return false;
    }

    /** Forward over {@code batch} rows; {@code training} switches dropout and batch statistics on. */
    public abstract void forward(int batch, boolean training);

    /**
     * Backward over the rows of the last forward. Parameter gradients are added to ({@code accumulate}) or replaced
     * (a training step: no zeroing pass needed, and a kernel that writes without reading is faster).
     */
    public abstract void backward(int batch, boolean accumulate);

    /** Nested layers (residual blocks); empty for plain layers. */
    List<Layer> children() {
        return List.of();
    }

    /** Offset of this layer's output in the arena. */
    public int outputOffset() {
        return y;
    }

    @Override
    public String toString() {
        return name + " " + describe();
    }
}
