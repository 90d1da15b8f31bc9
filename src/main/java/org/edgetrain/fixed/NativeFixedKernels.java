package org.edgetrain.fixed;

import org.edgetrain.kernels.NativeLibrary;

/**
 * The fixed-point products and updates in C through JNI (native/src/kernels_fixed_neon.c: NEON {@code vmull_s16}
 * products widened into exact 64-bit sums; updates 4 weights at a time with the rounding hash in vector lanes; on
 * x86-64 through SIMDe), bit for bit what {@link JavaFixedKernels} computes. The elementwise kernels (activations,
 * dropout, bias gradient), a small share of a step, stay in the Java reference.
 *
 * <p>The arena is pinned for one kernel call ({@code GetPrimitiveArrayCritical}, no copy); the two statistics go back
 * through {@code SetLongArrayRegion}, so a call allocates nothing.
 */
public final class NativeFixedKernels implements FixedKernels {
    private final JavaFixedKernels reference = new JavaFixedKernels();

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
        reference.biasGrad(a, dy, db, batch, out, shift, stats);
    }

    @Override
    public void leakyReluForward(short[] a, int x, int y, int n, int slopeQ15, long[] stats) {
        reference.leakyReluForward(a, x, y, n, slopeQ15, stats);
    }

    @Override
    public void leakyReluBackward(short[] a, int x, int dy, int dx, int n, int slopeQ15, long[] stats) {
        reference.leakyReluBackward(a, x, dy, dx, n, slopeQ15, stats);
    }

    @Override
    public void multiply(short[] a, int x, int m, int y, int n, int shift, long[] stats) {
        reference.multiply(a, x, m, y, n, shift, stats);
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

    static native int probe0();

    static native void denseForward0(short[] a, int x, int w, int b, int biasShift, int y, int batch, int in, int out, int shift,
                                     long[] stats);

    static native void denseInputGrad0(short[] a, int dy, int w, int dx, int batch, int in, int out, int shift, long[] stats);

    /** The native updates whatever the platform (for the bit-for-bit checks). */
    public static FixedKernels direct() {
        return new Direct();
    }

    /** Every fixed-point kernel this library has, called natively with no platform dispatch. */
    private static final class Direct implements FixedKernels {
        private final NativeFixedKernels products = new NativeFixedKernels();

        @Override
        public String name() {
            return "native-neon-direct";
        }

        @Override
        public void denseForward(short[] a, int x, int w, int b, int biasShift, int y, int batch, int in, int out, int shift, long[] stats) {
            products.denseForward(a, x, w, b, biasShift, y, batch, in, out, shift, stats);
        }

        @Override
        public void denseInputGrad(short[] a, int dy, int w, int dx, int batch, int in, int out, int shift, long[] stats) {
            products.denseInputGrad(a, dy, w, dx, batch, in, out, shift, stats);
        }

        @Override
        public void denseWeightGrad(short[] a, int dy, int x, int dw, int batch, int in, int out, int shift, long[] stats) {
            products.denseWeightGrad(a, dy, x, dw, batch, in, out, shift, stats);
        }

        @Override
        public void biasGrad(short[] a, int dy, int db, int batch, int out, int shift, long[] stats) {
            products.biasGrad(a, dy, db, batch, out, shift, stats);
        }

        @Override
        public void leakyReluForward(short[] a, int x, int y, int n, int slopeQ15, long[] stats) {
            products.leakyReluForward(a, x, y, n, slopeQ15, stats);
        }

        @Override
        public void leakyReluBackward(short[] a, int x, int dy, int dx, int n, int slopeQ15, long[] stats) {
            products.leakyReluBackward(a, x, dy, dx, n, slopeQ15, stats);
        }

        @Override
        public void multiply(short[] a, int x, int m, int y, int n, int shift, long[] stats) {
            products.multiply(a, x, m, y, n, shift, stats);
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
    }

    static native void sgdStep0(short[] a, int p, int g, int n, int gm, int gs, int pm, int ps, int key, boolean stochastic, long[] stats);

    static native void momentumStep0(short[] a, int p, int g, int v, int n, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls,
                                     int keyV, int keyP, boolean stochastic, long[] statsV, long[] statsP);

    static native void denseWeightGrad0(short[] a, int dy, int x, int dw, int batch, int in, int out, int shift, long[] stats);
}
