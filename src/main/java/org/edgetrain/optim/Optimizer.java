package org.edgetrain.optim;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;

/**
 * Applies one update to the trainable parameter block from the gradient block. State (velocity, moments) lives in the
 * arena as copies of the parameter block, so a step is one kernel call over contiguous memory.
 */
public abstract class Optimizer {
    protected final OptimizerSpec spec;
    private final Slot[] stateSlots;
    protected final int[] state;
    protected long steps;
    /** The step count at the last {@link #restart}: bias corrections count from here. */
    protected long restartedAt;

    protected Optimizer(OptimizerSpec spec, MemoryPlan.Builder plan, int floats, String... stateNames) {
        this.spec = spec;
        this.stateSlots = new Slot[stateNames.length];
        this.state = new int[stateNames.length];
        for (int i = 0; i < stateNames.length; i++) {
            stateSlots[i] = plan.add(Region.OPTIMIZER_STATE, "optim", stateNames[i] + " [" + floats + "]", floats);
        }
    }

    /** Plans the optimizer's state for a parameter block of {@code floats}. */
    public static Optimizer create(OptimizerSpec spec, MemoryPlan.Builder plan, int floats) {
        return switch (spec.kind()) {
            case SGD, MOMENTUM, NESTEROV -> new Sgd(spec, plan, floats);
            case ADAM, ADAMW -> new Adam(spec, plan, floats);
            case RMSPROP -> new RmsProp(spec, plan, floats);
        };
    }

    public void bind() {
        for (int i = 0; i < state.length; i++) state[i] = stateSlots[i].offset();
    }

    /** One update of {@code n} parameters at {@code p} from gradients at {@code g}, with learning rate {@code lr}. */
    public final void step(Kernels k, float[] a, int p, int g, int n, float lr) {
        steps++;
        update(k, a, p, g, n, lr);
    }

    protected abstract void update(Kernels k, float[] a, int p, int g, int n, float lr);

    public OptimizerSpec spec() {
        return spec;
    }

    /** Updates applied so far (Adam's t). */
    public long steps() {
        return steps;
    }

    public void setSteps(long steps) {
        this.steps = steps;
    }

    /**
     * Forgets the state (velocity, moments) of the {@code floats} trainable values in {@code a}: the parameters were
     * replaced from outside, and momentum from the old ones would push the new ones off course. The step count goes
     * on (schedules, checkpoints); Adam's bias correction counts from here.
     */
    public void restart(float[] a, int floats) {
        for (int off : state) java.util.Arrays.fill(a, off, off + floats, 0f);
        restartedAt = steps;
    }

    /** The step count at the last restart (0 if none): saved with checkpoints. */
    public long restartedAt() {
        return restartedAt;
    }

    public void setRestartedAt(long step) {
        this.restartedAt = step;
    }

    /** Offsets of the state copies, in the order of their names. */
    public int[] stateOffsets() {
        return state.clone();
    }
}
