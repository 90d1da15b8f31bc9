package org.edgetrain.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;

class GuardTest {
    static final NetworkSpec NET = NetworkSpec.builder(4).dense(8).batchNorm().leakyRelu().dense(3).build();
    static final TrainingSpec SPEC = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withBatch(4).withOptimizer(OptimizerSpec.adam(1e-2f));

    private static float[] x(int rows, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[rows * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static float[] state(Trainer t) {
        float[] a = t.arena().data();
        List<Float> out = new ArrayList<>();
        for (Parameter p : t.network().state()) {
            if (p.isCounter()) continue;
            for (int i = 0; i < p.size(); i++) out.add(a[p.offset() + i]);
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) f[i] = out.get(i);
        return f;
    }

    @Test
    void aNanSampleNeverReachesTheWeightsAndTheStateOfTheSnapshotComesBack() {
        Trainer t = new Trainer(NET, SPEC, new JavaKernels(), HealthSpec.defaults().withGuard(true));
        List<Finding> seen = new ArrayList<>();
        t.health().setListener(seen::add);
        float[] x = x(4, 1), y = {0, 1, 2, 1};
        for (int i = 0; i < 20; i++) t.step(x, 0, y, 0, 4);
        t.guard().takeSnapshot();
        float[] good = state(t);
        long steps = t.steps();
        long tracked = t.network().state().stream().filter(Parameter::isCounter).findFirst().orElseThrow().counterValue();
        float[] bad = x.clone();
        bad[5] = Float.NaN;
        float loss = t.step(bad, 0, y, 0, 4);
        assertFalse(Float.isFinite(loss));
        assertTrue(t.lastStepRolledBack());
        assertArrayEquals(good, state(t), "parameters, running statistics and optimizer state restored");
        assertEquals(steps, t.steps(), "the optimizer's step count is restored too (Adam's bias correction)");
        assertEquals(tracked, t.network().state().stream().filter(Parameter::isCounter).findFirst().orElseThrow().counterValue());
        for (float v : state(t)) assertTrue(Float.isFinite(v));
        assertEquals(1, t.guard().rollbacks());
        assertEquals(0.5f, t.guard().lrScale());
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).line().contains("non-finite loss"), seen.get(0).line());
        // training goes on from the snapshot at the lowered rate
        float next = t.step(x, 0, y, 0, 4);
        assertTrue(Float.isFinite(next));
        assertFalse(t.lastStepRolledBack());
        assertEquals(SPEC.optimizer().lr() * 0.5f, t.lastLearningRate(), 1e-9f);
    }

    @Test
    void aNonFiniteGradientIsCaughtBeforeTheUpdateEvenWithAFiniteLoss() {
        // a huge input gives a finite loss through clipping-free softmax but an infinite gradient norm
        TrainingSpec spec = SPEC.withClipping(Clipping.NONE).withOptimizer(OptimizerSpec.sgd(0.1f));
        NetworkSpec net = NetworkSpec.builder(4).dense(3).build();
        Trainer t = new Trainer(net, spec, new JavaKernels(), HealthSpec.defaults().withGuard(true));
        t.health().setListener(f -> { });
        float[] before = state(t);
        float[] x = {3e38f, 3e38f, 3e38f, 3e38f};
        t.step(x, 0, new float[] {1}, 0, 1);
        assertTrue(t.lastStepRolledBack());
        assertArrayEquals(before, state(t));
    }

    @Test
    void repeatedFailuresStopWithAClearErrorInsteadOfLooping() {
        Trainer t = new Trainer(NET, SPEC, new JavaKernels(), new HealthSpec(16, true, 0.5f, 3, 100f, 100));
        t.health().setListener(f -> { });
        float[] bad = x(4, 2);
        bad[0] = Float.NaN;
        float[] y = {0, 1, 2, 1};
        for (int i = 0; i < 3; i++) t.step(bad, 0, y, 0, 4);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.step(bad, 0, y, 0, 4));
        assertTrue(e.getMessage().startsWith("training diverged: 3 rollbacks in a row"), e.getMessage() + "");
        assertTrue(e.getMessage().contains("non-finite loss"), e.getMessage());
        for (float v : state(t)) assertTrue(Float.isFinite(v));
    }

    @Test
    void withoutTheGuardTheSameSampleDoesReachTheWeights() {
        // the control: proves the guard is what keeps the weights finite above
        Trainer t = new Trainer(NET, SPEC.withClipping(Clipping.NONE), new JavaKernels());
        float[] bad = x(4, 1);
        bad[5] = Float.NaN;
        t.step(bad, 0, new float[] {0, 1, 2, 1}, 0, 4);
        boolean anyNan = false;
        for (float v : state(t)) anyNan |= Float.isNaN(v);
        assertTrue(anyNan);
    }

    @Test
    void aLossFarAboveItsAverageIsAnExplosion() {
        Guard g = new Trainer(NET, SPEC, new JavaKernels(), HealthSpec.defaults().withGuard(true)).guard();
        for (int i = 0; i < Guard.WARMUP_STEPS; i++) g.afterGoodStep(2f);
        assertFalse(g.lossBad(150f), "below 100 × max(average, 1)");
        assertTrue(g.lossBad(250f));
        assertTrue(g.lossBad(Float.POSITIVE_INFINITY));
    }

    private static void assertArrayEquals(float[] a, float[] b) {
        assertArrayEquals(a, b, "");
    }

    private static void assertArrayEquals(float[] a, float[] b, String msg) {
        assertTrue(Arrays.equals(a, b), msg);
    }
}
