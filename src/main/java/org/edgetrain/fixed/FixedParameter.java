package org.edgetrain.fixed;

import org.edgetrain.memory.Slot;

/**
 * A trainable int16 tensor of a fixed-point network, named as in a PyTorch state_dict ({@code 0.weight}): its values,
 * gradient and (with momentum) velocity, each with its own {@link QFormat}. When the format of a stored tensor changes,
 * {@link #rescale} moves the values to the new grid.
 */
public final class FixedParameter {
    final String name;
    final int[] shape;
    final int size;
    final Slot value;
    final Slot grad;
    Slot velocity;
    final QFormat format;
    final QFormat gradFormat;
    QFormat velocityFormat;
    int p = -1, g = -1, v = -1;

    FixedParameter(String name, int[] shape, Slot value, Slot grad) {
        this.name = name;
        this.shape = shape.clone();
        int n = 1;
        for (int d : shape) n *= d;
        this.size = n;
        this.value = value;
        this.grad = grad;
        this.format = new QFormat(name, 15, true);
        this.gradFormat = new QFormat("d" + name, 15, false);
    }

    /** Takes the offsets of its slots once the plan is built. */
    public void bind() {
        p = value.offset();
        g = grad.offset();
        v = velocity == null ? -1 : velocity.offset();
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return size;
    }

    /** Offset of the int16 gradient in the arena's int16 block. */
    public int gradOffset() {
        return g;
    }

    /** Offset of the int16 velocity, or -1 without momentum. */
    public int velocityOffset() {
        return v;
    }

    /** Gives the parameter a momentum velocity: its slot in the plan and its format. */
    public void planVelocity(Slot slot, QFormat velocityFormat) {
        this.velocity = slot;
        this.velocityFormat = velocityFormat;
    }

    /** Offset of the int16 values in the arena's int16 block. */
    public int offset() {
        return p;
    }

    public QFormat format() {
        return format;
    }

    public QFormat gradFormat() {
        return gradFormat;
    }

    /** The velocity's format, or null without momentum. */
    public QFormat velocityFormat() {
        return velocityFormat;
    }

    /** Moves {@code n} stored values at {@code off} to a format {@code delta} bits finer (negative: coarser). */
    public static void rescale(short[] a, int off, int n, int delta) {
        if (delta == 0) return;
        for (int i = off; i < off + n; i++) {
            long q = FixedKernels.roundShift(a[i], -delta);
            a[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, q));
        }
    }

    /** Sets the values from floats: the format fitted to their maximum, each rounded to nearest. */
    public void load(short[] a, float[] values) {
        double max = 0;
        for (float f : values) max = Math.max(max, Math.abs(f));
        format.fitReal(max);
        for (int i = 0; i < size; i++) a[p + i] = format.quantize(values[i]);
        format.clear();
    }

    /** The values in real units. */
    public float[] toFloats(short[] a) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = format.real(a[p + i]);
        return out;
    }
}
