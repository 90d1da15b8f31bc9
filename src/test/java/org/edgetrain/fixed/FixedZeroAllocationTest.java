package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.edgetrain.train.FixedTrainer;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.AllocationCounter;
import org.edgetrain.util.Rng;
import org.edgetrain.kernels.NativeLibrary;
import org.edgetrain.monitor.HealthSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fixed-point training step allocates nothing after warm-up, counted like {@code ZeroAllocationTest}: a window of
 * 1,000 consecutive steps with 0 bytes among the first 20 (C2 may allocate a few bytes while it settles; one object
 * per step would put 16,000 bytes or more into every window). Java and native kernels, SGD and momentum, dropout,
 * the shuffled and the contiguous path, with a partial batch; batch 1 (the fused update) with the health monitor's
 * sampled steps; and a conv network through every int16 time layer.
 */
class FixedZeroAllocationTest {

    @ParameterizedTest
    @ValueSource(strings = {"java-sgd", "java-momentum", "native-momentum", "native-momentum-health", "java-conv-momentum",
            "native-conv-momentum"})
    void fixedPointStepAllocatesZeroBytesOver1000Steps(String variant) {
        boolean ci = System.getenv("CI") != null;
        if (ci) assertTrue(AllocationCounter.supported(), "CI's HotSpot counts allocated bytes per thread");
        assumeTrue(AllocationCounter.supported(), "this JVM cannot count allocated bytes per thread");
        boolean nat = variant.startsWith("native");
        // CI builds the library: there its absence is a failure, not a skip
        if (nat && ci) assertTrue(NativeFixedKernels.available(), "CI builds the native library: " + NativeLibrary.load().reason());
        if (nat) assumeTrue(NativeFixedKernels.available(), "native library not available");
        // the conv variant: 32 steps × 2 channels through every int16 time layer (im2col, argmax and pooling buffers)
        NetworkSpec net = variant.contains("conv")
                ? NetworkSpec.builder(64).channels(2).conv1d(8, 5, 1, LayerSpec.Padding.SAME, 1).leakyRelu().maxPool1d(2)
                        .conv1d(8, 3, 2, LayerSpec.Padding.CAUSAL, 2).avgPool1d(2).upsample1d(2).conv1d(4, 3).flatten().dense(16).relu()
                        .dense(10).build()
                : NetworkSpec.builder(64).dense(128).leakyRelu().dropout(0.1f).dense(64).relu().dense(10).build();
        OptimizerSpec o = variant.endsWith("sgd") ? OptimizerSpec.sgd(1e-3f)
                : new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 1e-2f, 0.9f, false, 0.9f, 0.999f, 1e-8f, 0.99f, 1e-4f);
        // with health: batch 2, so every other step has one row (the batch-1 fused update) and every 16th is sampled
        boolean health = variant.endsWith("health");
        int rows = 256, in = 64, batch = health ? 2 : 16;
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(o).withBatch(batch);
        if (health) spec = spec.withClipping(org.edgetrain.optim.Clipping.NONE); // clipping needs every gradient stored: no fusing
        FixedTrainer t = new FixedTrainer(net, spec, nat ? new NativeFixedKernels() : new JavaFixedKernels(), Rounding.STOCHASTIC,
                health ? HealthSpec.defaults() : HealthSpec.OFF);
        if (health) t.health().setListener(f -> { });
        Rng rng = new Rng(5);
        float[] x = new float[rows * in];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(10);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        for (int k = 0; k < 3000; k++) run(t, x, y, order, k, batch, rows);
        long min = Long.MAX_VALUE;
        for (int w = 0; w < 20 && min > 0; w++) {
            long before = AllocationCounter.currentThread();
            for (int k = 0; k < 1000; k++) run(t, x, y, order, k, batch, rows);
            min = Math.min(min, AllocationCounter.currentThread() - before);
        }
        assertEquals(0L, min);
    }

    private static void run(FixedTrainer t, float[] x, float[] y, int[] order, int k, int batch, int rows) {
        int from = (k * batch) % (rows - batch);
        if (k % 2 == 0) t.step(x, y, order, from, batch);
        else t.step(x, from * 64, y, from, batch - 1);
    }
}
