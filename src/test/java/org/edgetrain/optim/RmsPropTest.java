package org.edgetrain.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RmsPropTest {

    @Test
    void rmspropDividesByTheRootOfARunningMeanOfSquaredGradients() {
        OptimizerRig rig = new OptimizerRig(OptimizerSpec.rmsprop(0.01f), 1f);
        rig.step(0.01f, 1f); // s = 0.01: p −= 0.01·1/0.1
        assertEquals(0.9f, rig.params()[0], 1e-6f);
        rig.step(0.01f, 1f); // s = 0.0199
        assertEquals(0.8291118945f, rig.params()[0], 1e-6f);
    }

    @Test
    void rmspropMatchesTorchOptimOverSeveralStepsWithAndWithoutWeightDecay() {
        for (float wd : new float[] {0f, 0.05f}) {
            OptimizerRig.assertMatchesTorch(OptimizerSpec.rmsprop(0.01f).withWeightDecay(wd), 8, 101, 2e-6);
        }
    }
}
