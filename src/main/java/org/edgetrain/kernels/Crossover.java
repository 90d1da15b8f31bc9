package org.edgetrain.kernels;

import java.io.PrintStream;
import java.util.Locale;
import org.edgetrain.util.Rng;

/**
 * Measures where a native call starts to beat Java: time per call of each on the same small shapes, warm. Below the
 * crossover the JNI crossing (and pinning the array) costs more than the native code saves, so {@link NativeKernels}
 * keeps such calls in Java ({@code DENSE_JAVA_BELOW}, {@code ELEMENTWISE_JAVA_BELOW}).
 */
public final class Crossover {
    private Crossover() {
    }

    /** Prints a table of ns per call, Java and native, for dense products and elementwise kernels of growing size. */
    public static void print(PrintStream out, NativeKernels nk, double seconds) {
        Kernels java = new JavaKernels();
        Kernels nat = nk.direct();
        double budget = Math.max(0.02, seconds / 20);
        out.println("dense products at batch 1, in = out = n: ns per call (forward + input grad + weight grad)");
        out.printf(Locale.ROOT, "%6s %10s %10s %10s %s%n", "n", "macs", "java", "native", "");
        int denseCross = -1;
        for (int n : new int[] {2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128}) {
            double j = perCall(java, n, budget, true), c = perCall(nat, n, budget, true);
            if (c < j && denseCross < 0) denseCross = n * n;
            if (c >= j) denseCross = -1;
            out.printf(Locale.ROOT, "%6d %10d %10.0f %10.0f %s%n", n, n * n, j, c, c < j ? "native faster" : "java faster");
        }
        out.println();
        out.println("elementwise (leaky_relu forward + backward + momentum step over n values): ns per call");
        out.printf(Locale.ROOT, "%6s %10s %10s %s%n", "n", "java", "native", "");
        int elemCross = -1;
        for (int n : new int[] {16, 32, 64, 128, 256, 512, 1024, 2048, 4096}) {
            double j = perCall(java, n, budget, false), c = perCall(nat, n, budget, false);
            if (c < j && elemCross < 0) elemCross = n;
            if (c >= j) elemCross = -1;
            out.printf(Locale.ROOT, "%6d %10.0f %10.0f %s%n", n, j, c, c < j ? "native faster" : "java faster");
        }
        out.println();
        out.printf(Locale.ROOT, "crossover on this machine: dense from %s multiply-adds, elementwise from %s values "
                + "(built in: dense %d, elementwise %d)%n", denseCross < 0 ? "none measured" : String.valueOf(denseCross),
                elemCross < 0 ? "none measured" : String.valueOf(elemCross), NativeKernels.DENSE_JAVA_BELOW,
                NativeKernels.ELEMENTWISE_JAVA_BELOW);
    }

    private static double perCall(Kernels k, int n, double seconds, boolean dense) {
        float[] a = new float[8 * n * n + 8 * n + 64];
        Rng rng = new Rng(5);
        for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextGaussian() * 0.1);
        int x = 0, w = n, b = w + n * n, y = b + n, dy = y + n, dx = dy + n, dw = dx + n;
        Runnable call = dense ? () -> {
            k.denseForward(a, x, w, b, y, 1, n, n);
            k.denseInputGrad(a, dy, w, dx, 1, n, n);
            k.denseWeightGrad(a, dy, x, dw, 1, n, n, false);
        } : () -> {
            k.leakyReluForward(a, x, y, n, 0.01f);
            k.leakyReluBackward(a, x, dy, dx, n, 0.01f);
            k.momentumStep(a, w, dy, dw, n, 1e-6f, 0.9f, 0f, false);
        };
        for (int i = 0; i < 20_000; i++) call.run();
        long calls = 0;
        long t0 = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 256; i++) call.run();
            calls += 256;
            now = System.nanoTime();
        } while (now - t0 < seconds * 1e9);
        return (double) (now - t0) / calls;
    }
}
