package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;

/** What a layer sees while planning: requests for named slots, recorded into the network's {@link MemoryPlan}. */
final class Planner {
    final MemoryPlan.Builder plan;
    final int batch;
    final List<Parameter> state = new ArrayList<>();
    int trainableFloats; // Σ aligned sizes of trainable tensors: the length of the parameter/gradient block

    Planner(MemoryPlan.Builder plan, int batch) {
        this.plan = plan;
        this.batch = batch;
    }

    Parameter parameter(Layer owner, String suffix, boolean trainable, int... shape) {
        String what = suffix + shapeText(shape);
        int n = MemoryPlan.checked(owner.name, what, MemoryPlan.product(shape)); // in long: int products wrapped around
        Slot value = plan.add(trainable ? Region.PARAMETERS : Region.FROZEN_PARAMETERS, owner.name, what, n);
        Slot grad = null;
        if (trainable) {
            grad = plan.add(Region.GRADIENTS, owner.name, "d" + what, n);
            trainableFloats = MemoryPlan.checked("net", "trainable parameters",
                    (long) trainableFloats + (n + MemoryPlan.ALIGN_FLOATS - 1) / MemoryPlan.ALIGN_FLOATS * MemoryPlan.ALIGN_FLOATS);
        }
        Parameter p = new Parameter(owner.name + "." + suffix, shape, trainable ? Parameter.Kind.TRAINABLE
                : Parameter.Kind.FROZEN, value, grad, null);
        state.add(p);
        return p;
    }

    Parameter buffer(Layer owner, String suffix, int n) {
        Slot value = plan.add(Region.BUFFERS, owner.name, suffix + " [" + n + "]", n);
        Parameter p = new Parameter(owner.name + "." + suffix, new int[] {n}, Parameter.Kind.BUFFER, value, null, null);
        state.add(p);
        return p;
    }

    Parameter counter(Layer owner, String suffix, long[] holder) {
        Parameter p = new Parameter(owner.name + "." + suffix, new int[0], Parameter.Kind.COUNTER, null, null, holder);
        state.add(p);
        return p;
    }

    /** A cached activation for backward, {@code width} per sample. */
    Slot activation(Layer owner, String what, int width) {
        return plan.add(Region.ACTIVATIONS, owner.name, what + " [" + batch + ", " + width + "]", (long) batch * width);
    }

    /** A per-feature cache (e.g. batch mean), not per sample. */
    Slot cache(Layer owner, String what, int n) {
        return plan.add(Region.ACTIVATIONS, owner.name, what + " [" + n + "]", n);
    }

    Slot scratch(Layer owner, String what, int width) {
        return plan.add(Region.SCRATCH, owner.name, what + " [" + batch + ", " + width + "]", (long) batch * width);
    }

    Slot activationGradient(String owner, String what, int width) {
        return plan.add(Region.ACTIVATION_GRADIENTS, owner, what + " [" + batch + ", " + width + "]", (long) batch * width);
    }

    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder(" [");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(']').toString();
    }
}
