package org.edgetrain.kernels;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.util.Rng;
import org.edgetrain.log.Log;

/**
 * Chooses the kernels once at start: {@code java} is the reference; {@code native} requires the JNI library;
 * {@code auto} prefers native and falls back to Java with one log line saying why.
 */
public final class KernelLoader {
    public static final String ALLOWED = "auto, native, java";

    private KernelLoader() {
    }

    /** e.g. {@code java}, or {@code native (x86-64 neon-via-simde avx2-fma, 2 threads)}. */
    public static String describe(Kernels k) {
        if (k instanceof NativeKernels n) {
            return "native (" + n.description() + (n.threads() > 1 ? ", " + n.threads() + " threads" : "") + ")";
        }
        return k.name();
    }

    /** The loaded native kernels with no dispatch to Java, for comparing them with the reference (selftest, tests). */
    public static Kernels directNative() {
        if (!NativeLibrary.load().ok()) throw new IllegalStateException("native library not loaded: " + NativeLibrary.load().reason());
        return new NativeKernels(1).direct();
    }

    /**
     * Runs the three dense products threaded and single-threaded on shapes large enough to split, and lists every
     * output that differs in any bit (the split is by output rows, so there must be none).
     */
    public static List<String> checkThreadsBitIdentical(NativeKernels threaded) {
        List<String> failures = new ArrayList<>();
        Rng rng = new Rng(7);
        int[][] shapes = {{32, 256, 256}, {33, 129, 65}, {1, 784, 257}, {64, 7, 1031}, {5, 1031, 3}};
        for (int[] s : shapes) {
            int batch = s[0], in = s[1], out = s[2];
            int x = 0, w = x + batch * in, b = w + out * in, y = b + out, dy = y + batch * out, dx = dy + batch * out, dw = dx + batch * in;
            float[] a = new float[dw + out * in];
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
            float[] one = a.clone(), many = a.clone();
            NativeKernels.denseForward0(one, x, w, b, y, batch, in, out, false);
            NativeKernels.denseForward0(many, x, w, b, y, batch, in, out, threaded.threads() > 1);
            NativeKernels.denseInputGrad0(one, dy, w, dx, batch, in, out, false);
            NativeKernels.denseInputGrad0(many, dy, w, dx, batch, in, out, threaded.threads() > 1);
            NativeKernels.denseWeightGrad0(one, dy, x, dw, batch, in, out, false, true);
            NativeKernels.denseWeightGrad0(many, dy, x, dw, batch, in, out, threaded.threads() > 1, true);
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(one[i]) != Float.floatToRawIntBits(many[i])) {
                    failures.add("dense products batch=" + batch + " in=" + in + " out=" + out + ": value " + i + " differs ("
                            + one[i] + " single, " + many[i] + " with " + threaded.threads() + " threads)");
                    break;
                }
            }
        }
        return failures;
    }

    /** Single-threaded kernels of the given preference. */
    public static Kernels load(String preference) {
        return load(preference, 1);
    }

    /**
     * @param threads threads for large dense products (native only; the caller counts as one)
     */
    public static Kernels load(String preference, int threads) {
        switch (preference) {
            case "java":
                return new JavaKernels();
            case "native", "auto": {
                NativeLibrary.Result r = NativeLibrary.load();
                if (r.ok()) return new NativeKernels(threads);
                if (preference.equals("native")) {
                    throw new BadInputException("kernels = native, but the native library did not load: " + r.reason());
                }
                Log.warn("native kernels unavailable, using Java kernels: {}", r.reason());
                return new JavaKernels();
            }
            default:
                throw new BadInputException("kernels: found '" + preference + "'; allowed: " + ALLOWED);
        }
    }
}
