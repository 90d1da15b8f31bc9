package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;

class FrozenLayerTest {
    /** dense(7) tanh dense(7, frozen) leaky_relu batchnorm(frozen) dense(3): layers 2 and 4 frozen. */
    static final NetworkSpec SPEC = NetworkSpec.builder(5).dense(7).tanh().dense(7).frozen().leakyRelu()
            .batchNorm().frozen().dense(3).build();

    static Trainer trainer(NetworkSpec spec) {
        TrainingSpec ts = TrainingSpec.defaults(LossKind.MSE).withBatch(4)
                .withOptimizer(OptimizerSpec.adam(0.01f).withWeightDecay(0.1f));
        return new Trainer(spec, ts, new JavaKernels());
    }

    @Test
    void frozenLayersHaveNoGradientSlotInTheMemoryPlan() {
        Trainer t = trainer(SPEC);
        int gradientSlots = 0;
        for (Slot s : t.memoryPlan().slots()) {
            if (s.region() != Region.GRADIENTS) continue;
            gradientSlots++;
            assertFalse(s.owner().equals("2") || s.owner().equals("4"), "frozen layer " + s.owner() + " has " + s.what());
        }
        assertEquals(4, gradientSlots, "weight and bias of layers 0 and 5");
        for (Parameter p : t.network().state()) {
            boolean frozen = p.name().startsWith("2.") || p.name().startsWith("4.");
            if (frozen && !p.isCounter() && p.kind() != Parameter.Kind.BUFFER) {
                assertEquals(Parameter.Kind.FROZEN, p.kind(), p.name());
                assertEquals(-1, p.gradOffset(), p.name());
                assertTrue(p.offset() >= t.memoryPlan().regionBase(Region.FROZEN_PARAMETERS)
                        && p.offset() < t.memoryPlan().regionBase(Region.FROZEN_PARAMETERS)
                        + t.memoryPlan().regionFloats(Region.FROZEN_PARAMETERS), p.name() + " outside the frozen region");
            }
        }
        // gradients and every optimizer-state copy cover only the trainable block
        int trainable = t.network().trainableFloats();
        assertEquals(trainable, t.memoryPlan().regionFloats(Region.GRADIENTS));
        assertEquals(2 * trainable, t.memoryPlan().regionFloats(Region.OPTIMIZER_STATE));
    }

    @Test
    void frozenWeightsDoNotChangeOverStepsWhileTrainableOnesDo() {
        Trainer t = trainer(SPEC);
        Map<String, float[]> before = snapshot(t);
        Random r = new Random(61);
        float[] x = new float[4 * 5], y = new float[4 * 3];
        for (int step = 0; step < 5; step++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
            assertTrue(Float.isFinite(t.step(x, 0, y, 0, 4)));
        }
        Map<String, float[]> after = snapshot(t);
        for (Parameter p : t.network().state()) {
            if (p.isCounter()) continue;
            if (p.kind() == Parameter.Kind.TRAINABLE) {
                assertFalse(Arrays.equals(before.get(p.name()), after.get(p.name())), p.name() + " did not train");
            } else {
                // frozen weights and the frozen batchnorm's running statistics: bit for bit unchanged
                assertArrayEquals(before.get(p.name()), after.get(p.name()), p.name() + " changed although frozen");
            }
        }
        assertEquals(0, ((BatchNorm1d) t.network().layers().get(4)).batchesTracked());
    }

    @Test
    void trainableLayersBeforeFrozenOnesGetTheGradientsFiniteDifferencesGive() {
        GradientHarness h = new GradientHarness(SPEC, 3, LossKind.MSE, 62L).randomize(62, 1.0);
        h.run(true);
        h.assertAll(true, 2); // also the frozen dense's own input gradient
    }

    @Test
    void freezingAResidualFreezesEveryLayerOfItsBlock() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7)
                .residual(new LayerSpec.Dense(7, Init.AUTO, true), new LayerSpec.Tanh(), new LayerSpec.Dense(7, Init.AUTO, true))
                .dense(3).build().withFrozen(Set.of("1"));
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 63L).randomize(63, 1.0);
        for (Parameter p : h.net.state()) {
            assertEquals(p.name().startsWith("1.") ? Parameter.Kind.FROZEN : Parameter.Kind.TRAINABLE, p.kind(), p.name());
        }
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void oneLayerInsideAResidualBlockCanBeFrozenByItsDottedName() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7)
                .residual(new LayerSpec.Dense(7, Init.AUTO, true), new LayerSpec.Tanh(), new LayerSpec.Dense(7, Init.AUTO, true))
                .dense(3).build().withFrozen(Set.of("1.2"));
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 64L).randomize(64, 1.0);
        assertEquals(Parameter.Kind.FROZEN, BatchNorm1dTest.tensor(h, "1.2.weight").kind());
        assertEquals(Parameter.Kind.TRAINABLE, BatchNorm1dTest.tensor(h, "1.0.weight").kind());
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void aFrozenFirstLayerNeedsNoBackwardAndLaterLayersStillTrainCorrectly() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).frozen().tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 65L).randomize(65, 1.0);
        assertEquals(-1, h.net.layers().get(1).dx, "nothing before the tanh is trainable");
        h.run(true);
        h.assertAll(true, -1);
    }

    private static Map<String, float[]> snapshot(Trainer t) {
        Map<String, float[]> m = new HashMap<>();
        for (Parameter p : t.network().state()) {
            if (!p.isCounter()) m.put(p.name(), DenseTest.slice(t.arena().data(), p.offset(), p.size()));
        }
        return m;
    }
}
