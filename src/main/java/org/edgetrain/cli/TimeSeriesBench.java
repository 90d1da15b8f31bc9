package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.AllocationCounter;
import org.edgetrain.util.Rng;

/**
 * The time-layer rows of {@code edgetrain bench}, the same models as scripts/bench_pytorch.py: a conv classifier on a
 * 128 × 3 window (conv 16 k5, relu, maxpool 2, conv 32 k5, relu, global average pool, dense 10) and a GRU(32) over
 * 64 steps of 3 channels (last step, dense 10), cross-entropy, SGD momentum 0.9, at batch 1 and 32: training
 * samples/s per kernel column, and the conv model's forward in GFLOP/s (the two convolutions' multiply-adds over the
 * whole forward's time) against the 128-bit peak.
 */
final class TimeSeriesBench {
    record Case(String name, NetworkSpec spec, int batch) { }

    static final NetworkSpec CONV = NetworkSpec.builder(128 * 3).channels(3).conv1d(16, 5).relu().maxPool1d(2).conv1d(32, 5).relu()
            .globalAvgPool1d().dense(10).build();
    static final NetworkSpec GRU = NetworkSpec.builder(64 * 3).channels(3).add(new LayerSpec.Gru(32, false)).dense(10).build();
    static final List<Case> CASES = List.of(new Case("conv 128x3", CONV, 1), new Case("conv 128x3", CONV, 32),
            new Case("gru32 64x3", GRU, 1), new Case("gru32 64x3", GRU, 32));

    /** Multiply-adds ×2 of the two convolutions for one window: 124·16·3·5 + 58·32·16·5. */
    static final double CONV_FLOPS = 2.0 * (124 * 16 * 3 * 5 + 58 * 32 * 16 * 5);

    private TimeSeriesBench() {
    }

    static void print(PrintStream out, List<Kernels> columns, List<String> headers, double seconds, double peak) {
        out.println();
        out.println("time layers, training samples/s: cross-entropy, SGD momentum 0.9, lr 0.001; synthetic windows (scripts/bench_pytorch.py: the same in PyTorch)");
        out.printf(Locale.ROOT, "%-16s %6s %12s", "model", "batch", "arena bytes");
        for (String h : headers) out.printf(Locale.ROOT, " %12s", h);
        out.printf(Locale.ROOT, " %14s%n", "alloc B/step");
        for (Case c : CASES) {
            out.printf(Locale.ROOT, "%-16s %6d", c.name(), c.batch());
            StringBuilder cells = new StringBuilder();
            long arena = 0;
            double alloc = 0;
            for (Kernels k : columns) {
                double[] r = train(c, k, seconds);
                arena = (long) r[0];
                cells.append(String.format(Locale.ROOT, " %,12.0f", r[1]));
                alloc = Math.max(alloc, r[2]);
            }
            out.printf(Locale.ROOT, " %,12d%s %14s%n", arena, cells, alloc < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", alloc));
        }
        out.printf(Locale.ROOT, "%-23s", "conv forward GFLOP/s");
        for (int batch : new int[] {1, 32}) {
            for (int i = 0; i < columns.size(); i++) {
                double g = forwardGflops(columns.get(i), batch, seconds);
                out.printf(Locale.ROOT, "  b%d %s %.2f%s", batch, headers.get(i), g,
                        Double.isNaN(peak) || columns.get(i) instanceof JavaKernels ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100 * g / peak));
            }
        }
        out.println();
    }

    private static TrainingSpec spec(int batch) {
        return TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.momentum(0.001f, 0.9f))
                .withClipping(Clipping.NONE).withBatch(batch).withSeed(7);
    }

    /** {arena bytes, samples/s, heap bytes allocated per step (−1 if not measurable)}. */
    static double[] train(Case c, Kernels k, double seconds) {
        Trainer t = new Trainer(c.spec(), spec(c.batch()), k);
        int rows = 512, in = c.spec().inputs(), batch = c.batch();
        Rng rng = new Rng(3);
        float[] x = new float[rows * in], y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(10);
        int[] from = {0};
        Runnable step = () -> {
            t.step(x, from[0] * in, y, from[0], batch);
            from[0] = from[0] + 2 * batch > rows ? 0 : from[0] + batch;
        };
        double[] r = timed(step, seconds);
        return new double[] {t.memoryPlan().totalBytes(), r[0] * batch, r[1]};
    }

    static double forwardGflops(Kernels k, int batch, double seconds) {
        Trainer t = new Trainer(CONV, spec(batch), k);
        float[] a = t.network().arena();
        Rng rng = new Rng(5);
        int x = t.network().inputOffset();
        for (int i = 0; i < batch * CONV.inputs(); i++) a[x + i] = (float) rng.nextGaussian();
        double[] r = timed(() -> t.network().forward(batch, false), seconds);
        return r[0] * batch * CONV_FLOPS / 1e9;
    }

    /** {calls per second, bytes allocated per call} after a warm-up as long as the measurement. */
    private static double[] timed(Runnable r, double seconds) {
        long warm = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warm) for (int i = 0; i < 16; i++) r.run();
        long calls = 0, a0 = AllocationCounter.currentThread(), t0 = System.nanoTime(), now;
        do {
            for (int i = 0; i < 16; i++) r.run();
            calls += 16;
            now = System.nanoTime();
        } while (now - t0 < seconds * 1e9);
        long a1 = AllocationCounter.currentThread();
        return new double[] {calls / ((now - t0) / 1e9), a0 < 0 ? -1 : (double) (a1 - a0) / calls};
    }
}
