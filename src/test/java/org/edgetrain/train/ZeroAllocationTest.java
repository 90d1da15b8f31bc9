package org.edgetrain.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.kernels.NativeLibrary;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.optim.Schedule;
import org.edgetrain.util.AllocationCounter;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After warm-up a training step allocates nothing on the Java heap, measured by the thread's allocation counter over
 * 1,000 consecutive steps.
 *
 * <p>Warm-up ends when the JIT has settled: while C2 still deoptimizes and recompiles (a branch first taken after
 * thousands of steps), the JVM itself allocates a few hundred bytes on the thread now and then. Measured: under -Xint
 * and C1 every window of 1,000 steps is 0 bytes; under C2 the first windows show 0-600 bytes, then 0. So the test
 * looks for a window of 1,000 steps with 0 bytes among the first 20; one allocated object per step (at least 16 bytes)
 * would put at least 16,000 bytes into every window.
 */
class ZeroAllocationTest {

    @Test
    void mlpWithDropoutBatchNormAndAdamAllocatesZeroBytesOver1000Steps() {
        NetworkSpec net = NetworkSpec.builder(64).dense(128).batchNorm().leakyRelu().dropout(0.2f).dense(64).leakyRelu()
                .dropout(0.1f).dense(10).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(32);
        assertEquals(0L, bytesPerThousandSteps(net, spec, 10));
    }

    @Test
    void timeLayersConvPoolingUpsampleAndGruAllocateZeroBytes() {
        // a 16 × 3 window: conv (same, causal, strided, dilated), both poolings, upsample, flatten; and a gru of every step
        NetworkSpec conv = NetworkSpec.builder(48).channels(3).conv1d(8, 5, 1, org.edgetrain.nn.LayerSpec.Padding.SAME, 1).relu()
                .maxPool1d(2).conv1d(8, 3, 2, org.edgetrain.nn.LayerSpec.Padding.CAUSAL, 2).tanh().upsample1d(2).avgPool1d(2)
                .flatten().dense(4).build();
        NetworkSpec gru = NetworkSpec.builder(48).channels(3).conv1d(4, 3).gru(6, true).globalAvgPool1d().dense(4).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(8);
        assertEquals(0L, bytesPerThousandSteps(conv, spec, 4));
        assertEquals(0L, bytesPerThousandSteps(gru, spec, 4));
    }

    @Test
    void timeLayersWithNativeKernelsAllocateZeroBytes() {
        NativeLibrary.Result lib = NativeLibrary.load();
        if (System.getenv("CI") != null) assertTrue(lib.ok(), "CI builds the native library: " + lib.reason());
        assumeTrue(lib.ok(), "native library not available");
        // windows long enough that conv1d, im2col/col2im, both poolings and the GRU gates all take their native kernels
        NetworkSpec conv = NetworkSpec.builder(64 * 3).channels(3).conv1d(8, 5, 1, org.edgetrain.nn.LayerSpec.Padding.SAME, 1).relu()
                .maxPool1d(2).conv1d(8, 3, 2, org.edgetrain.nn.LayerSpec.Padding.CAUSAL, 2).tanh().avgPool1d(2).globalAvgPool1d().dense(4).build();
        NetworkSpec gru = NetworkSpec.builder(32 * 3).channels(3).gru(8, true).globalAvgPool1d().dense(4).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(8);
        assertEquals(0L, bytesPerThousandSteps(conv, spec, 4, KernelLoader.load("native", 1)));
        assertEquals(0L, bytesPerThousandSteps(gru, spec, 4, KernelLoader.load("native", 1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void nativeKernelsWithAndWithoutThreadsAllocateZeroBytes(int threads) {
        NativeLibrary.Result lib = NativeLibrary.load();
        if (System.getenv("CI") != null) assertTrue(lib.ok(), "CI builds the native library: " + lib.reason());
        assumeTrue(lib.ok(), "native library not available");
        // wide enough that the dense products go native and, with threads, get split across workers
        NetworkSpec net = NetworkSpec.builder(784).dense(256).batchNorm().leakyRelu().dropout(0.1f).dense(128).leakyRelu().dense(10).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(32);
        assertEquals(0L, bytesPerThousandSteps(net, spec, 10, KernelLoader.load("native", threads)));
    }

    @ParameterizedTest
    @EnumSource(OptimizerSpec.Kind.class)
    void everyOptimizerStepsWithoutAllocating(OptimizerSpec.Kind kind) {
        NetworkSpec net = NetworkSpec.builder(16).dense(32).prelu().residual(
                new org.edgetrain.nn.LayerSpec.Dense(32, org.edgetrain.nn.Init.AUTO, true), new org.edgetrain.nn.LayerSpec.Tanh())
                .dense(4).softmax().build();
        OptimizerSpec o = new OptimizerSpec(kind, 1e-3f, 0.9f, false, 0.9f, 0.999f, 1e-8f, 0.99f, 1e-4f);
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(o).withBatch(8)
                .withClipping(new Clipping(1f, 0.5f)).withSchedule(new Schedule(Schedule.Kind.COSINE, 10, 1, 1f, 0f, 2000));
        assertEquals(0L, bytesPerThousandSteps(net, spec, 4));
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void everyLossStepsWithoutAllocating(LossKind loss) {
        NetworkSpec.Builder b = NetworkSpec.builder(8).dense(16).sigmoid().dense(3);
        TrainingSpec spec = TrainingSpec.defaults(loss).withBatch(5);
        assertEquals(0L, bytesPerThousandSteps(b.build(), spec, 3));
    }

    @Test
    void healthStatisticsOnEveryStepAndTheGuardAllocateZeroBytes() {
        // every layer kind the monitor watches: ReLU (dead units), sigmoid and tanh (saturation), batch norm (the guard
        // restores its running statistics); statistics sampled on every step, the guard checking every step
        NetworkSpec net = NetworkSpec.builder(16).dense(32).batchNorm().relu().dense(32).sigmoid().dense(16).tanh().dense(4).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(8);
        HealthSpec health = new HealthSpec(1, true, 0.5f, 5, 100f, 50);
        assertEquals(0L, bytesPerThousandSteps(net, spec, 4, new JavaKernels(), health));
    }

    private static long bytesPerThousandSteps(NetworkSpec net, TrainingSpec spec, int classes) {
        return bytesPerThousandSteps(net, spec, classes, new JavaKernels());
    }

    private static long bytesPerThousandSteps(NetworkSpec net, TrainingSpec spec, int classes, Kernels kernels) {
        return bytesPerThousandSteps(net, spec, classes, kernels, HealthSpec.OFF);
    }

    private static long bytesPerThousandSteps(NetworkSpec net, TrainingSpec spec, int classes, Kernels kernels, HealthSpec health) {
        assumeTrue(AllocationCounter.supported(), "this JVM cannot count allocated bytes per thread");
        Trainer t = new Trainer(net, spec, kernels, health);
        t.health().setListener(f -> { }); // a finding is built once per kind; the windows below skip that one
        int rows = 256, in = net.inputs(), tw = t.targetWidth();
        Rng rng = new Rng(5);
        float[] x = new float[rows * in];
        float[] y = new float[rows * tw];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = spec.loss() == LossKind.CROSS_ENTROPY ? rng.nextInt(classes) : rng.nextInt(2);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        int batch = spec.batch();
        for (int k = 0; k < 3000; k++) run(t, x, y, order, k, batch, rows); // warm-up: let the JIT compile the step
        long min = Long.MAX_VALUE;
        StringBuilder windows = new StringBuilder();
        for (int w = 0; w < 20 && min > 0; w++) {
            long before = AllocationCounter.currentThread();
            for (int k = 0; k < 1000; k++) run(t, x, y, order, k, batch, rows);
            long bytes = AllocationCounter.currentThread() - before;
            windows.append(bytes).append(' ');
            min = Math.min(min, bytes);
        }
        if (min > 0) System.err.println("bytes per window of 1000 steps: " + windows);
        return min;
    }

    private static void run(Trainer t, float[] x, float[] y, int[] order, int k, int batch, int rows) {
        int from = (k * batch) % (rows - batch);
        if (k % 2 == 0) t.step(x, y, order, from, batch); // the shuffled (gather) path
        else t.step(x, from * t.network().inputWidth(), y, from * t.targetWidth(), batch - 1); // contiguous, partial batch
    }
}
