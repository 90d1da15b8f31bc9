package org.edgetrain.optim;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.MemoryPlan;

/** Adam and AdamW as in torch.optim: bias-corrected first and second moments. */
public final class Adam extends Optimizer {
    Adam(OptimizerSpec spec, MemoryPlan.Builder plan, int floats) {
        super(spec, plan, floats, "exp_avg", "exp_avg_sq");
    }

    @Override
    protected void update(Kernels k, float[] a, int p, int g, int n, float lr) {
        long t = steps - restartedAt; // since the moments were last zeroed
        float bc1 = (float) (1.0 - Math.pow(spec.beta1(), t));
        float bc2 = (float) (1.0 - Math.pow(spec.beta2(), t));
        k.adamStep(a, p, g, state[0], state[1], n, lr, spec.beta1(), spec.beta2(), spec.eps(), spec.weightDecay(),
                spec.kind() == OptimizerSpec.Kind.ADAMW, bc1, bc2);
    }
}
