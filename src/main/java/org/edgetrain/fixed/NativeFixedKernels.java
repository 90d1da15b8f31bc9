package org.edgetrain.fixed;

import org.edgetrain.kernels.NativeLibrary;

/**
 * Every fixed-point kernel in C through JNI, bit for bit what {@link JavaFixedKernels} computes: the products in int32
 * blocks the operands' maxima prove exact, widened to 64 bits between blocks (NEON {@code vmlal_s16} on ARM,
 * {@code vpmaddwd} on x86-64: native/src/kernels_fixed_neon.c, kernels_fixed_avx2.c); the updates, activations, dropout
 * and bias gradient as int32 loops the compiler vectorizes for NEON and AVX2 alike.
 *
 * <p>The arena is pinned for one kernel call ({@code GetPrimitiveArrayCritical}, no copy); the two statistics go back
 * through {@code SetLongArrayRegion}, so a call allocates nothing.
 */
public final class NativeFixedKernels implements FixedKernels {
    /** Whether the library loads and has the fixed-point entry points. */
    public static boolean available() {
        if (!NativeLibrary.load().ok()) return false;
        try {
            return probe0() == 1;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "native-neon";
    }

    @Override
    public void denseForward(short[] a, int x, int w, int b, int biasShift, int y, int batch, int in, int out, int shift, long[] stats) {
        denseForward0(a, x, w, b, biasShift, y, batch, in, out, shift, stats);
    }

    @Override
    public void denseInputGrad(short[] a, int dy, int w, int dx, int batch, int in, int out, int shift, long[] stats) {
        denseInputGrad0(a, dy, w, dx, batch, in, out, shift, stats);
    }

    @Override
    public void denseWeightGrad(short[] a, int dy, int x, int dw, int batch, int in, int out, int shift, long[] stats) {
        denseWeightGrad0(a, dy, x, dw, batch, in, out, shift, stats);
    }

    @Override
    public void biasGrad(short[] a, int dy, int db, int batch, int out, int shift, long[] stats) {
        biasGrad0(a, dy, db, batch, out, shift, stats);
    }

    @Override
    public void leakyReluForward(short[] a, int x, int y, int n, int slopeQ15, long[] stats) {
        leakyReluForward0(a, x, y, n, slopeQ15, stats);
    }

    @Override
    public void leakyReluBackward(short[] a, int x, int dy, int dx, int n, int slopeQ15, long[] stats) {
        leakyReluBackward0(a, x, dy, dx, n, slopeQ15, stats);
    }

    @Override
    public void multiply(short[] a, int x, int m, int y, int n, int shift, long[] stats) {
        multiply0(a, x, m, y, n, shift, stats);
    }

    @Override
    public void sgdStep(short[] a, int p, int g, int n, int gm, int gs, int pm, int ps, int key, boolean stochastic, long[] stats) {
        sgdStep0(a, p, g, n, gm, gs, pm, ps, key, stochastic, stats);
    }

    @Override
    public void momentumStep(short[] a, int p, int g, int v, int n, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls,
                             int keyV, int keyP, boolean stochastic, long[] statsV, long[] statsP) {
        momentumStep0(a, p, g, v, n, vm, vs, gm, gs, pm, ps, lm, ls, keyV, keyP, stochastic, statsV, statsP);
    }

    @Override
    public void denseGradMomentum(short[] a, int dy, int x, int dw, int p, int v, int in, int out, int shift, int[] u, boolean stochastic,
                                  long[] statsG, long[] statsV, long[] statsP) {
        denseGradMomentum0(a, dy, x, dw, p, v, in, out, shift, u, stochastic, statsG, statsV, statsP);
    }

    static native void denseGradMomentum0(short[] a, int dy, int x, int dw, int p, int v, int in, int out, int shift, int[] u,
                                          boolean stochastic, long[] statsG, long[] statsV, long[] statsP);

    static native int probe0();

    static native void denseForward0(short[] a, int x, int w, int b, int biasShift, int y, int batch, int in, int out, int shift,
                                     long[] stats);

    static native void denseInputGrad0(short[] a, int dy, int w, int dx, int batch, int in, int out, int shift, long[] stats);

    /** Native kernels for the bit-for-bit checks: every kernel is native on every platform now, so the same as {@code new}. */
    public static FixedKernels direct() {
        return new NativeFixedKernels();
    }

    static native void sgdStep0(short[] a, int p, int g, int n, int gm, int gs, int pm, int ps, int key, boolean stochastic, long[] stats);

    static native void momentumStep0(short[] a, int p, int g, int v, int n, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls,
                                     int keyV, int keyP, boolean stochastic, long[] statsV, long[] statsP);

    static native void denseWeightGrad0(short[] a, int dy, int x, int dw, int batch, int in, int out, int shift, long[] stats);

    static native void biasGrad0(short[] a, int dy, int db, int batch, int out, int shift, long[] stats);

    static native void leakyReluForward0(short[] a, int x, int y, int n, int slopeQ15, long[] stats);

    static native void leakyReluBackward0(short[] a, int x, int dy, int dx, int n, int slopeQ15, long[] stats);

    static native void multiply0(short[] a, int x, int m, int y, int n, int shift, long[] stats);
}
