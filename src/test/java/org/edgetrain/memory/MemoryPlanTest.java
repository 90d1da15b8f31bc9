package org.edgetrain.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.cli.CliRunner;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;

/** The plan is exact: its regions add up to the arena, and the numbers match a hand count. */
class MemoryPlanTest {
    private static final NetworkSpec MLP = NetworkSpec.builder(64).dense(128).leakyRelu().dense(64).leakyRelu().dense(10).build();

    @Test
    void mlp64x128x64x10AtBatch1WithMomentumMatchesTheHandCount() {
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.momentum(0.01f, 0.9f)).withBatch(1);
        MemoryPlan plan = Trainer.plan(MLP, spec);
        // parameters: 128·64 + 128 + 64·128 + 64 + 10·64 + 10 = 17,226; the 10-float bias pads to 12 (16-byte alignment)
        assertEquals(17_228, plan.regionFloats(Region.PARAMETERS));
        assertEquals(17_228, plan.regionFloats(Region.GRADIENTS));
        assertEquals(17_228, plan.regionFloats(Region.OPTIMIZER_STATE)); // one momentum buffer
        assertEquals(64 + 4, plan.regionFloats(Region.INPUTS)); // input row + one class index (padded to 4)
        assertEquals(128 + 128 + 64 + 64 + 12, plan.regionFloats(Region.ACTIVATIONS));
        assertEquals(2 * 128, plan.regionFloats(Region.ACTIVATION_GRADIENTS)); // two ping-pong buffers of the widest layer
        assertEquals(0, plan.regionFloats(Region.SCRATCH));
        int sum = 0;
        for (Region r : Region.values()) sum += plan.regionFloats(r);
        assertEquals(sum, plan.totalFloats());
        assertEquals(4L * (3 * 17_228 + 68 + 396 + 256), plan.totalBytes()); // 209,616 bytes
        assertTrue(plan.totalBytes() <= 241_832, "no larger than AIfES's 241,832-byte plan: " + plan.totalBytes());
    }

    @Test
    void theArenaIsExactlyThePlanAndAdamKeepsTwoCopies() {
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(32);
        Trainer t = new Trainer(MLP, spec, new JavaKernels());
        assertEquals(t.memoryPlan().totalFloats(), t.arena().data().length);
        assertEquals(2 * 17_228, t.memoryPlan().regionFloats(Region.OPTIMIZER_STATE));
        assertEquals(32 * (128 + 128 + 64 + 64 + 10), t.memoryPlan().regionFloats(Region.ACTIVATIONS));
    }

    @Test
    void frozenLayersPlanNoGradientsAndInferenceNeedsNone() {
        NetworkSpec frozen = NetworkSpec.builder(64).dense(128).frozen().leakyRelu().dense(64).frozen().leakyRelu().dense(10).build();
        MemoryPlan plan = Trainer.plan(frozen, TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withBatch(1));
        assertEquals(652, plan.regionFloats(Region.GRADIENTS)); // only 10·64 + 10 (padded)
        assertEquals(128 * 64 + 128 + 64 * 128 + 64, plan.regionFloats(Region.FROZEN_PARAMETERS));
    }

    @Test
    void planCommandPrintsTheTableAndTotal() {
        CliRunner r = CliRunner.run("plan", "--config", "examples/digits.conf", "--inputs", "64", "--batch", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("memory plan: 64-128-64-10, batch 1, momentum, fp32"), r.out());
        assertTrue(r.out().contains("momentum_buffer"), r.out());
        String total = r.out().lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        long bytes = Long.parseLong(total.trim().split("\\s+")[total.trim().split("\\s+").length - 1].replace(",", ""));
        NetworkSpec net = NetworkSpec.builder(64).dense(128).leakyRelu().dropout(0.1f).dense(64).leakyRelu().dense(10).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withBatch(1);
        assertEquals(Trainer.plan(net, spec, org.edgetrain.monitor.HealthSpec.defaults()).totalBytes(), bytes);
        // the config's default health statistics add only the sampled weights for the update ratio: 32 from each of
        // five tensors and all 10 of the last bias, 170 floats aligned to 172 (no ReLU layer, so no activity flags)
        assertTrue(r.out().contains("health and guard"), r.out());
        assertEquals(Trainer.plan(net, spec).totalBytes() + 172 * 4, bytes);
    }
}
