package org.edgetrain.fixed;

import java.util.Arrays;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
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
    /** The momentum update the trainer prepared for this step ({@link FixedKernels#VM} … {@link FixedKernels#KEY_P}). */
    final int[] update = new int[FixedKernels.UPDATE_INTS];
    boolean stochastic;
    /** Set by the trainer: the layer may fold this step's update into its backward pass (batch 1, momentum). */
    boolean fuse;
    /** Set by the layer that applied the update in its backward pass. */
    boolean updated;

    /**
     * A layer's parameter {@code layer.kind} with its value and gradient slots in the plan, labelled
     * {@code kind [shape]} and {@code dkind [shape]}.
     */
    static FixedParameter planned(MemoryPlan.Builder plan, String layer, String kind, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        String dims = Arrays.toString(shape);
        return new FixedParameter(layer + "." + kind, shape,
                plan.add(ElementType.I16, Region.PARAMETERS, layer, kind + " " + dims, n),
                plan.add(ElementType.I16, Region.GRADIENTS, layer, "d" + kind + " " + dims, n));
    }

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

    /**
     * Prepares this step's momentum update (the coefficients of {@link FixedKernels#momentumStep}); with {@code fuse} the
     * layer applies it during backward at batch 1 ({@link FixedKernels#denseGradMomentum}), and {@code fusedUpdate}
     * marks it done so that {@link #applyMomentum} skips it.
     */
    public void prepareMomentum(int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls, int keyV, int keyP, boolean stochastic,
                                boolean fuse) {
        int[] u = update;
        u[FixedKernels.VM] = vm;
        u[FixedKernels.VS] = vs;
        u[FixedKernels.GM] = gm;
        u[FixedKernels.GS] = gs;
        u[FixedKernels.PM] = pm;
        u[FixedKernels.PS] = ps;
        u[FixedKernels.LM] = lm;
        u[FixedKernels.LS] = ls;
        u[FixedKernels.KEY_V] = keyV;
        u[FixedKernels.KEY_P] = keyP;
        this.stochastic = stochastic;
        this.fuse = fuse;
        this.updated = false;
    }

    /** Applies the prepared momentum update, unless a layer already did; clears the fusing for the next step. */
    public void applyMomentum(short[] a, FixedKernels k) {
        fuse = false;
        if (updated) {
            updated = false;
            return;
        }
        int[] u = update;
        k.momentumStep(a, p, g, v, size, u[FixedKernels.VM], u[FixedKernels.VS], u[FixedKernels.GM], u[FixedKernels.GS], u[FixedKernels.PM],
                u[FixedKernels.PS], u[FixedKernels.LM], u[FixedKernels.LS], u[FixedKernels.KEY_V], u[FixedKernels.KEY_P], stochastic,
                velocityFormat.stats(), format.stats());
    }

    /** At batch 1 with a fused update prepared: the gradient {@code narrow(dy ⊗ x)} (x &lt; 0: a bias) and the update in one call. */
    boolean fusedUpdate(FixedKernels k, short[] a, int dy, int x, int in, int out, int shift, int batch) {
        if (!fuse || batch != 1 || v < 0) return false;
        k.denseGradMomentum(a, dy, x, g, p, v, in, out, shift, update, stochastic, gradFormat.stats(), velocityFormat.stats(), format.stats());
        updated = true;
        return true;
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
