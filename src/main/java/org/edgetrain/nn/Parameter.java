package org.edgetrain.nn;

import java.util.Arrays;
import org.edgetrain.memory.Slot;

/**
 * A named tensor of a network's state, named as in a PyTorch state_dict ({@code 0.weight}, {@code 1.running_mean}).
 * Trainable parameters have a gradient slot; frozen ones and buffers do not. A counter ({@code num_batches_tracked})
 * is an int64 kept outside the fp32 arena.
 */
public final class Parameter {
    /** What role the tensor plays. */
    public enum Kind { TRAINABLE, FROZEN, BUFFER, COUNTER }

    private final String name;
    private final int[] shape;
    private final Kind kind;
    private final Slot value;
    private final Slot grad;
    private final long[] counter;

    Parameter(String name, int[] shape, Kind kind, Slot value, Slot grad, long[] counter) {
        this.name = name;
        this.shape = shape.clone();
        this.kind = kind;
        this.value = value;
        this.grad = grad;
        this.counter = counter;
    }

    public String name() {
        return name;
    }

    /** The owning layer's name: {@code 3} for {@code 3.weight}, {@code 3.0} for {@code 3.0.bias}. */
    public String layer() {
        return name.substring(0, name.lastIndexOf('.'));
    }

    public int[] shape() {
        return shape.clone();
    }

    public Kind kind() {
        return kind;
    }

    /** Number of elements. */
    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Offset of the values in the arena (not for counters). */
    public int offset() {
        return value.offset();
    }

    /** Offset of the gradient in the arena, or -1 if the tensor has none. */
    public int gradOffset() {
        return grad == null ? -1 : grad.offset();
    }

    public boolean isCounter() {
        return kind == Kind.COUNTER;
    }

    public long counterValue() {
        return counter[0];
    }

    public void setCounter(long v) {
        counter[0] = v;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + kind;
    }
}
