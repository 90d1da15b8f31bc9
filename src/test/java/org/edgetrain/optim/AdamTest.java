package org.edgetrain.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.edgetrain.memory.Region;
import org.junit.jupiter.api.Test;

class AdamTest {

    static OptimizerSpec adamW(float lr, float wd) {
        return new OptimizerSpec(OptimizerSpec.Kind.ADAMW, lr, 0f, false, 0.9f, 0.999f, 1e-8f, 0.99f, wd);
    }

    @Test
    void adamFirstStepMovesByTheLearningRateAndBiasCorrectionAppliesLater() {
        OptimizerRig rig = new OptimizerRig(OptimizerSpec.adam(0.1f), 1f);
        rig.step(0.1f, 1f); // m̂ = 1, v̂ = 1
        assertEquals(0.9f, rig.params()[0], 1e-7f);
        rig.step(0.1f, 0f); // m̂ = 0.09/0.19, v̂ = 0.000999/0.001999
        assertEquals(0.8329941765f, rig.params()[0], 1e-6f);
        assertEquals(2 * 4, rig.plan.regionFloats(Region.OPTIMIZER_STATE), "exp_avg and exp_avg_sq, each aligned to 4");
    }

    @Test
    void adamAddsWeightDecayToTheGradientWhileAdamWShrinksTheWeights() {
        // zero gradient, p = 1, lr 0.1, wd 0.1
        OptimizerRig adam = new OptimizerRig(OptimizerSpec.adam(0.1f).withWeightDecay(0.1f), 1f);
        adam.step(0.1f, 0f); // g' = 0.1: a full Adam step of lr
        assertEquals(0.9f, adam.params()[0], 1e-6f);
        OptimizerRig adamW = new OptimizerRig(adamW(0.1f, 0.1f), 1f);
        adamW.step(0.1f, 0f); // p·(1 − lr·wd), and m = 0 moves nothing
        assertEquals(0.99f, adamW.params()[0], 1e-7f);
    }

    @Test
    void adamAndAdamWMatchTorchOptimOverSeveralStepsWithAndWithoutWeightDecay() {
        for (float wd : new float[] {0f, 0.05f}) {
            OptimizerRig.assertMatchesTorch(OptimizerSpec.adam(0.01f).withWeightDecay(wd), 8, 91, 2e-6);
            OptimizerRig.assertMatchesTorch(adamW(0.01f, wd), 8, 92, 2e-6);
        }
    }
}
