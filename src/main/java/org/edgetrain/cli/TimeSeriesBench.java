package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.kernels.NativeKernels;
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
 *
 * <p>Every figure here is per second of the measuring thread's CPU time, the peak included (its wall-clock rate
 * scaled by wall/CPU time of the same call), as scripts/bench_pytorch.py measures PyTorch: on a machine shared with
 * other work the wall-clock rates fall with the load (the peak read 10.8 GFLOP/s at load 19 against 56 idle), the
 * ratios between them with it only roughly.
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

    static void print(PrintStream out, List<Kernels> columns, List<String> headers, double seconds, double wallPeak) {
        double peak = Double.isNaN(wallPeak) ? Double.NaN : cpuPeakGflops(seconds);
        out.println();
        out.println("time layers, training samples per CPU-second of the measuring thread: cross-entropy, SGD momentum 0.9, lr 0.001;");
        out.println("synthetic windows (scripts/bench_pytorch.py: the same in PyTorch, also per thread CPU-second); columns with");
        out.println("worker threads (native 2t, ...) are per wall-clock second, since this thread's CPU time leaves the workers' out");
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
            out.printf(Locale.ROOT, " %,12d%s %14s%n", arena, cells, BenchCommand.allocText(alloc));
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!headers.get(i).equals("native 1t")) continue; // the target is for one native thread
            for (int batch : new int[] {1, 32}) {
                double g = forwardGflops(columns.get(i), batch, seconds);
                out.printf(Locale.ROOT, "conv forward, %s, batch %d: %.2f GFLOP/s = %.0f %% of the 128-bit peak (%.1f GFLOP/s, per CPU-second)%n",
                        headers.get(i), batch, g, 100 * g / peak, peak);
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!(columns.get(i) instanceof JavaKernels)) continue;
            out.printf(Locale.ROOT, "conv forward, %s: batch 1 %.2f, batch 32 %.2f GFLOP/s%n", headers.get(i), forwardGflops(columns.get(i), 1, seconds),
                    forwardGflops(columns.get(i), 32, seconds));
        }
    }

    /** The native 128-bit FMA peak per second of this thread's CPU time: the wall-clock rate × wall / CPU time. */
    static double cpuPeakGflops(double seconds) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int millis = Math.max(200, (int) (seconds * 1000));
        if (!threads.isCurrentThreadCpuTimeSupported()) return NativeKernels.peakGflops(millis);
        long c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        double g = NativeKernels.peakGflops(millis);
        long c1 = threads.getCurrentThreadCpuTime(), t1 = System.nanoTime();
        return c1 > c0 ? g * (t1 - t0) / (c1 - c0) : g;
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
        double[] r = timed(step, seconds, !(k instanceof NativeKernels n && n.threads() > 1));
        // bytes per step as the MLP rows count them: the quietest of a few windows, so that a JIT tier change in the
        // timed stretch (HotSpot's runtime allocates then, not the step) does not read as the step's
        double alloc = BenchCommand.allocationPerStep((xs, xo, ys, yo, n) -> t.step(xs, xo, ys, yo, n), x, y, in, batch, rows);
        return new double[] {t.memoryPlan().totalBytes(), r[0] * batch, alloc};
    }

    static double forwardGflops(Kernels k, int batch, double seconds) {
        Trainer t = new Trainer(CONV, spec(batch), k);
        float[] a = t.network().arena();
        Rng rng = new Rng(5);
        int x = t.network().inputOffset();
        for (int i = 0; i < batch * CONV.inputs(); i++) a[x + i] = (float) rng.nextGaussian();
        double[] r = timed(() -> t.network().forward(batch, false), seconds, true);
        return r[0] * batch * CONV_FLOPS / 1e9;
    }

    /**
     * {calls per second of this thread's CPU time (wall-clock where the JVM cannot tell, or where {@code cpuTime} is
     * false: kernels with worker threads, whose CPU time this thread does not see), bytes allocated per call}, after a
     * warm-up as long as the measurement.
     */
    private static double[] timed(Runnable r, double seconds, boolean cpuTime) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpu = cpuTime && threads.isCurrentThreadCpuTimeSupported();
        long warm = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warm) for (int i = 0; i < 16; i++) r.run();
        long c0 = cpu ? threads.getCurrentThreadCpuTime() : 0, calls = 0, a0 = AllocationCounter.currentThread(), t0 = System.nanoTime(), now;
        do {
            for (int i = 0; i < 16; i++) r.run();
            calls += 16;
            now = System.nanoTime();
        } while (now - t0 < seconds * 1e9);
        long a1 = AllocationCounter.currentThread();
        long c1 = cpu ? threads.getCurrentThreadCpuTime() : 0;
        double elapsed = cpu && c1 > c0 ? (c1 - c0) / 1e9 : (now - t0) / 1e9;
        return new double[] {calls / elapsed, a0 < 0 ? -1 : (double) (a1 - a0) / calls};
    }
}
