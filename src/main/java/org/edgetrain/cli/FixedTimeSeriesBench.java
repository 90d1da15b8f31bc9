package org.edgetrain.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.edgetrain.fixed.FixedKernels;
import org.edgetrain.fixed.JavaFixedKernels;
import org.edgetrain.fixed.NativeFixedKernels;
import org.edgetrain.fixed.Rounding;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.FixedTrainer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.AllocationCounter;
import org.edgetrain.util.Rng;

/**
 * The time-layer conv model of {@link TimeSeriesBench} in fixed point (engine.precision = fixed; the GRU has no int16
 * layer): arena bytes against fp32's, training samples/s with the Java and the native fixed-point kernels (conv1d's
 * products go through the int16 dense kernels; im2col, the input gradient and pooling are Java), and speed = fixed
 * (native if loaded) over fp32 (the given kernels), both per second of the measuring thread's CPU time.
 */
final class FixedTimeSeriesBench {
    private FixedTimeSeriesBench() {
    }

    static void print(PrintStream out, Kernels fp32, String fp32Name, boolean nat, double seconds) {
        out.println();
        out.println("time layers in fixed point (int16, stochastic rounding) vs fp32 " + fp32Name + ", the same conv model: arena bytes and samples/s");
        out.printf(Locale.ROOT, "%-16s %6s %12s %12s %6s %12s %12s%s %14s %6s%n", "model", "batch", "fp32 bytes", "fixed bytes", "ratio", "fp32 /s",
                "fixed java", nat ? String.format(Locale.ROOT, " %12s", "fixed native") : "", "alloc B/step", "speed");
        for (int batch : new int[] {1, 32}) {
            TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.momentum(0.001f, 0.9f))
                    .withClipping(Clipping.NONE).withBatch(batch).withSeed(7);
            Trainer f = new Trainer(TimeSeriesBench.CONV, spec, fp32);
            double[] rf = timed(batch, seconds, (x, xo, y, yo, rows) -> f.step(x, xo, y, yo, rows));
            double[] rj = timed(batch, seconds, fixed(spec, new JavaFixedKernels()));
            double[] rn = nat ? timed(batch, seconds, fixed(spec, new NativeFixedKernels())) : null;
            long fixedBytes = new FixedTrainer(TimeSeriesBench.CONV, spec, new JavaFixedKernels(), Rounding.STOCHASTIC).memoryPlan().totalBytes();
            long fp32Bytes = f.memoryPlan().totalBytes();
            double alloc = Math.max(rj[2], rn == null ? 0 : rn[2]);
            out.printf(Locale.ROOT, "%-16s %6d %,12d %,12d %5.1f%% %,12.0f %,12.0f%s %14s %5.2fx%n", "conv 128x3", batch, fp32Bytes, fixedBytes,
                    100.0 * fixedBytes / fp32Bytes, rf[0], rj[0], rn == null ? "" : String.format(Locale.ROOT, " %,12.0f", rn[0]),
                    alloc < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", alloc), (rn == null ? rj : rn)[1] / rf[1]);
        }
    }

    private interface Step {
        void run(float[] x, int xOffset, float[] y, int yOffset, int rows);
    }

    private static Step fixed(TrainingSpec spec, FixedKernels k) {
        FixedTrainer t = new FixedTrainer(TimeSeriesBench.CONV, spec, k, Rounding.STOCHASTIC);
        return (x, xo, y, yo, rows) -> t.step(x, xo, y, yo, rows);
    }

    /** {samples/s, samples per CPU second of this thread, heap bytes per step (−1 if not measurable)} after a warm-up. */
    private static double[] timed(int batch, double seconds, Step s) {
        int rows = 512, in = TimeSeriesBench.CONV.inputs();
        Rng rng = new Rng(3);
        float[] x = new float[rows * in], y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(10);
        int from = 0;
        long warm = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warm) {
            s.run(x, from * in, y, from, batch);
            from = from + 2 * batch > rows ? 0 : from + batch;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported();
        long calls = 0, a0 = AllocationCounter.currentThread(), c0 = cpu ? threads.getCurrentThreadCpuTime() : 0, t0 = System.nanoTime(), now;
        do {
            s.run(x, from * in, y, from, batch);
            from = from + 2 * batch > rows ? 0 : from + batch;
            calls++;
            now = System.nanoTime();
        } while (now - t0 < seconds * 1e9);
        long a1 = AllocationCounter.currentThread(), c1 = cpu ? threads.getCurrentThreadCpuTime() : 0;
        return new double[] {calls * batch / ((now - t0) / 1e9), cpu && c1 > c0 ? calls * batch / ((c1 - c0) / 1e9) : Double.NaN,
                a0 < 0 ? -1 : (double) (a1 - a0) / calls};
    }
}
