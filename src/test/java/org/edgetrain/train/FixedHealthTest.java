package org.edgetrain.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.fixed.JavaFixedKernels;
import org.edgetrain.fixed.Rounding;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.monitor.Finding;
import org.edgetrain.monitor.HealthMonitor;
import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.TensorData;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;

/** The int16 trainer feeds the same per-layer health statistics and detectors as fp32. */
class FixedHealthTest {
    static final int IN = 8, HIDDEN = 16, OUT = 4, BATCH = 8, ROWS = 256;
    static final HealthSpec EVERY_STEP = new HealthSpec(1, false, 0.5f, 5, 100f, 100);

    static NetworkSpec network() {
        return NetworkSpec.builder(IN).dense(HIDDEN).relu().dense(OUT).build();
    }

    static TrainingSpec spec() {
        return TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.momentum(0.01f, 0.9f))
                .withClipping(Clipping.NONE).withBatch(BATCH).withSeed(3);
    }

    /** Seeded weights; the hidden layer's bias {@code hiddenBias} (a large negative one keeps every unit off). */
    static List<TensorData> weights(float hiddenBias) {
        Rng rng = new Rng(5);
        List<TensorData> t = new ArrayList<>();
        t.add(TensorData.ofFloats("0.weight", new int[] {HIDDEN, IN}, gaussian(rng, HIDDEN * IN, 0.3)));
        float[] b = new float[HIDDEN];
        java.util.Arrays.fill(b, hiddenBias);
        t.add(TensorData.ofFloats("0.bias", new int[] {HIDDEN}, b));
        t.add(TensorData.ofFloats("2.weight", new int[] {OUT, HIDDEN}, gaussian(rng, OUT * HIDDEN, 0.3)));
        t.add(TensorData.ofFloats("2.bias", new int[] {OUT}, gaussian(rng, OUT, 0.1)));
        return t;
    }

    static float[] gaussian(Rng rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * scale);
        return v;
    }

    static float[][] data() {
        Rng rng = new Rng(9);
        float[] x = gaussian(rng, ROWS * IN, 1.0);
        float[] y = new float[ROWS];
        for (int r = 0; r < ROWS; r++) y[r] = rng.nextInt(OUT);
        return new float[][] {x, y};
    }

    static void train(TrainingStep t, int steps) {
        float[][] d = data();
        for (int s = 0; s < steps; s++) {
            int row = (s * BATCH) % ROWS;
            t.step(d[0], row * IN, d[1], row, BATCH);
        }
    }

    @Test
    void aDeadLayerIsFlaggedInInt16AsInFp32() {
        FixedTrainer fixed = new FixedTrainer(network(), spec(), new JavaFixedKernels(), Rounding.STOCHASTIC, EVERY_STEP);
        Trainer fp32 = new Trainer(network(), spec(), new JavaKernels(), EVERY_STEP);
        for (TrainingStep t : new TrainingStep[] {fixed, fp32}) {
            List<Finding> found = new ArrayList<>();
            t.health().setListener(found::add);
            t.importTensors(weights(-50f), "test");
            train(t, 64); // 512 sampled rows: past DEAD_ROWS and a window
            assertTrue(t.health().hasReported(Finding.Kind.DEAD_UNITS), t.precision() + ": " + found);
            assertEquals(1.0, t.health().deadFraction(), 0.0, t.precision());
            assertTrue(t.health().summary().contains("dead 100%"), t.health().summary());
        }
        // and a healthy layer is not flagged, in int16 either
        FixedTrainer healthy = new FixedTrainer(network(), spec(), new JavaFixedKernels(), Rounding.STOCHASTIC, EVERY_STEP);
        healthy.health().setListener(f -> { });
        healthy.importTensors(weights(0.1f), "test");
        train(healthy, 64);
        assertFalse(healthy.health().hasReported(Finding.Kind.DEAD_UNITS), healthy.health().summary());
        assertTrue(healthy.health().samples() > 0 && healthy.health().medianUpdateRatio() > 0, healthy.health().summary());
    }

    @Test
    void int16StatisticsAgreeWithFp32OnTheSameWeights() {
        FixedTrainer fixed = new FixedTrainer(network(), spec(), new JavaFixedKernels(), Rounding.STOCHASTIC, EVERY_STEP);
        fixed.importTensors(weights(0.1f), "test");
        Trainer fp32 = new Trainer(network(), spec(), new JavaKernels(), EVERY_STEP);
        fp32.importTensors(fixed.exportTensors(), "int16 weights, dequantized"); // the very same weights
        train(fixed, 1);
        train(fp32, 1);
        HealthMonitor q = fixed.health(), f = fp32.health();
        assertEquals(f.tensorNames(), q.tensorNames());
        for (int t = 0; t < q.tensorNames().size(); t++) {
            String name = q.tensorNames().get(t);
            // weights: the same values, so the norms agree to float rounding
            assertEquals(f.weightNorm(t), q.weightNorm(t), 1e-6 * f.weightNorm(t), name);
            // gradients: int16 against fp32 on the same weights and batch, within the doctor's healthy bound (2e-2)
            assertEquals(f.gradientNorm(t), q.gradientNorm(t), 2e-2 * f.gradientNorm(t), name);
            // update ratios: lr·v over w; the int16 update is rounded to the weight's grid, stochastic: within 10 %
            assertEquals(f.updateRatio(t), q.updateRatio(t), 0.1 * f.updateRatio(t) + 1e-6, name);
        }
        assertEquals(f.gradientRatio(), q.gradientRatio(), 2e-2 * f.gradientRatio());
    }
}
