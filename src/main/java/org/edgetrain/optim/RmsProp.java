package org.edgetrain.optim;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.MemoryPlan;

/** RMSprop as in torch.optim (no momentum, not centered): a running mean of squared gradients scales each step. */
public final class RmsProp extends Optimizer {
    RmsProp(OptimizerSpec spec, MemoryPlan.Builder plan, int floats) {
        super(spec, plan, floats, "square_avg");
    }

    @Override
    protected void update(Kernels k, float[] a, int p, int g, int n, float lr) {
        k.rmspropStep(a, p, g, state[0], n, lr, spec.alpha(), spec.eps(), spec.weightDecay());
    }
}
