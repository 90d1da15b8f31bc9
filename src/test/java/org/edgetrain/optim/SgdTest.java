package org.edgetrain.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Region;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;

class SgdTest {

    static OptimizerSpec nesterov(float lr, float momentum) {
        return new OptimizerSpec(OptimizerSpec.Kind.NESTEROV, lr, momentum, true, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    @Test
    void sgdSubtractsLearningRateTimesGradientPlusWeightDecay() {
        OptimizerRig plain = new OptimizerRig(OptimizerSpec.sgd(0.1f), 1f, -2f);
        plain.step(0.1f, 0.5f, -1f);
        assertArrayEquals(new float[] {0.95f, -1.9f}, plain.params(), 1e-7f);
        OptimizerRig decayed = new OptimizerRig(OptimizerSpec.sgd(0.1f).withWeightDecay(0.1f), 1f, -2f);
        decayed.step(0.1f, 0.5f, -1f);
        // g' = g + 0.1·p = [0.6, −1.2]
        assertArrayEquals(new float[] {0.94f, -1.88f}, decayed.params(), 1e-7f);
        assertEquals(0, plain.plan.regionFloats(Region.OPTIMIZER_STATE), "plain SGD keeps no state");
    }

    @Test
    void momentumAccumulatesAVelocityStartingAtTheFirstGradient() {
        OptimizerRig rig = new OptimizerRig(OptimizerSpec.momentum(0.1f, 0.9f), 0f);
        // buf = 1, 1.9, 2.71; p = −0.1, −0.29, −0.561
        float[] expected = {-0.1f, -0.29f, -0.561f};
        for (float e : expected) {
            rig.step(0.1f, 1f);
            assertEquals(e, rig.params()[0], 1e-6f);
        }
    }

    @Test
    void nesterovStepsByGradientPlusMomentumTimesTheNewVelocity() {
        OptimizerRig rig = new OptimizerRig(nesterov(0.1f, 0.9f), 0f);
        rig.step(0.1f, 1f); // buf 1:   p −= 0.1·(1 + 0.9·1)
        assertEquals(-0.19f, rig.params()[0], 1e-6f);
        rig.step(0.1f, 1f); // buf 1.9: p −= 0.1·(1 + 0.9·1.9)
        assertEquals(-0.461f, rig.params()[0], 1e-6f);
    }

    @Test
    void sgdMomentumAndNesterovMatchTorchOptimOverSeveralStepsWithAndWithoutWeightDecay() {
        for (float wd : new float[] {0f, 0.05f}) {
            OptimizerRig.assertMatchesTorch(OptimizerSpec.sgd(0.1f).withWeightDecay(wd), 6, 81, 1e-6);
            OptimizerRig.assertMatchesTorch(OptimizerSpec.momentum(0.05f, 0.9f).withWeightDecay(wd), 6, 82, 1e-6);
            OptimizerRig.assertMatchesTorch(nesterov(0.05f, 0.8f).withWeightDecay(wd), 6, 83, 1e-6);
        }
    }

    @Test
    void trainerStepAppliesTheScheduledLearningRateToTheClippedGradient() {
        // dense(1) over 2 inputs, MSE on one row: dL/dpred = 2(pred − y); dW = dL/dpred·x; db = dL/dpred
        NetworkSpec spec = NetworkSpec.builder(2).dense(1).build();
        Schedule warmup = new Schedule(Schedule.Kind.CONSTANT, 4, 1, 1f, 0f, 0);
        TrainingSpec ts = TrainingSpec.defaults(LossKind.MSE).withBatch(1).withOptimizer(OptimizerSpec.sgd(0.4f))
                .withSchedule(warmup).withClipping(new Clipping(1f, 0f));
        Trainer t = new Trainer(spec, ts, new JavaKernels());
        float[] a = t.arena().data();
        Parameter w = t.network().state().get(0), b = t.network().state().get(1);
        a[w.offset()] = 0.5f;
        a[w.offset() + 1] = -0.25f;
        a[b.offset()] = 0.1f;
        float[] x = {1f, 2f};
        float loss = t.step(x, 0, new float[] {3f}, 0, 1);
        // pred = 0.5 − 0.5 + 0.1 = 0.1; loss = 2.9² = 8.41; g = −5.8·[1, 2, 1], ‖g‖ = 5.8·√6
        assertEquals(8.41f, loss, 1e-5f);
        double norm = 5.8 * Math.sqrt(6);
        assertEquals(norm, t.lastGradNorm(), 1e-5 * norm);
        // warm-up step 0 of 4: lr = 0.4·1/4; the gradient is clipped to norm 1: −[1, 2, 1]/√6
        assertEquals(0.1f, t.lastLearningRate(), 1e-7f);
        double c = 1 / Math.sqrt(6);
        assertEquals(0.5 + 0.1 * c, a[w.offset()], 1e-6);
        assertEquals(-0.25 + 0.1 * 2 * c, a[w.offset() + 1], 1e-6);
        assertEquals(0.1 + 0.1 * c, a[b.offset()], 1e-6);
        assertEquals(1, t.steps());
    }
}
