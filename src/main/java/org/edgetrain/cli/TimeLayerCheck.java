package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;

/**
 * For {@code selftest}: the time layers run their products through the dense kernels at shapes no dense layer has
 * (im2col rows, a GRU's per-step products), so train a conv and a GRU model 20 steps with the Java and the native
 * kernels from the same seed and compare the weights: they must agree to float rounding.
 */
final class TimeLayerCheck {
    static final NetworkSpec CONV = NetworkSpec.builder(33 * 3).channels(3).conv1d(7, 5, 1, LayerSpec.Padding.SAME, 1).relu().maxPool1d(2)
            .conv1d(9, 3, 2, LayerSpec.Padding.CAUSAL, 2).tanh().upsample1d(2).avgPool1d(3).flatten().dense(5).build();
    static final NetworkSpec GRU = NetworkSpec.builder(17 * 3).channels(3).add(new LayerSpec.Gru(13, true)).globalAvgPool1d().dense(5).build();

    private TimeLayerCheck() {
    }

    /** Prints one line; false when the native weights drift beyond 1e-4·(1 + |w|). */
    static boolean run(Kernels nativeKernels, PrintStream out) {
        double worst = 0;
        for (NetworkSpec spec : new NetworkSpec[] {CONV, GRU}) {
            float[] j = train(spec, new JavaKernels()), n = train(spec, nativeKernels);
            for (int i = 0; i < j.length; i++) worst = Math.max(worst, Math.abs(j[i] - n[i]) / (1 + Math.abs(j[i])));
        }
        boolean ok = worst <= 1e-4;
        out.printf(Locale.ROOT, "time       conv1d/pooling/upsample and gru, 20 steps: native weights within %.1e of Java: %s%n", worst,
                ok ? "ok" : "MISMATCH");
        return ok;
    }

    private static float[] train(NetworkSpec spec, Kernels k) {
        Trainer t = new Trainer(spec, TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.adam(1e-3f)).withBatch(6)
                .withSeed(3), k);
        Rng rng = new Rng(9);
        float[] x = new float[6 * spec.inputs()], y = new float[6];
        for (int step = 0; step < 20; step++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
            for (int i = 0; i < 6; i++) y[i] = rng.nextInt(5);
            t.step(x, 0, y, 0, 6);
        }
        float[] a = t.network().arena();
        return java.util.Arrays.copyOfRange(a, t.network().parameterOffset(), t.network().parameterOffset() + t.network().trainableFloats());
    }
}
