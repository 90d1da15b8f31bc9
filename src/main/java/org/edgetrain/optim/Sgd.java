package org.edgetrain.optim;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.MemoryPlan;

/** Stochastic gradient descent, with momentum and Nesterov momentum as in PyTorch's torch.optim.SGD. */
public final class Sgd extends Optimizer {
    Sgd(OptimizerSpec spec, MemoryPlan.Builder plan, int floats) {
        super(spec, plan, floats, spec.kind() == OptimizerSpec.Kind.SGD ? new String[0] : new String[] {"momentum_buffer"});
    }

    @Override
    protected void update(Kernels k, float[] a, int p, int g, int n, float lr) {
        if (state.length == 0) {
            k.sgdStep(a, p, g, n, lr, spec.weightDecay());
        } else {
            k.momentumStep(a, p, g, state[0], n, lr, spec.momentum(), spec.weightDecay(), spec.nesterov());
        }
    }
}
