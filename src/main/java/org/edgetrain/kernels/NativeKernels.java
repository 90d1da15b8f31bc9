package org.edgetrain.kernels;

/**
 * Kernels in C through JNI: one NEON source (built through SIMDe on x86-64), operating on the arena in place
 * ({@code GetPrimitiveArrayCritical}: no copy). Calls too small to repay the JNI crossing (about 6 ns, plus 13 ns to pin
 * the array) stay in Java, below the crossovers measured by {@code edgetrain bench --crossover}; dense products large
 * enough to split go to the worker threads, split by output rows so results are bit-identical for any thread count.
 *
 * <p>Obtain through {@link KernelLoader}, which loads the library first.
 */
public final class NativeKernels implements Kernels {
    /** Multiply-adds below which a dense product stays in Java (measured crossover, see the README). */
    static final int DENSE_JAVA_BELOW = 128;
    /** Elements below which elementwise kernels and reductions stay in Java. */
    static final int ELEMENTWISE_JAVA_BELOW = 64;
    /** Multiply-adds from which a dense product is split across worker threads. */
    static final int DENSE_THREADS_FROM = 1 << 19;

    private final JavaKernels java = new JavaKernels();
    private final int threads;
    private final String description;

    NativeKernels(int threads) {
        // The worker pool is process-wide (the last size asked for wins); a single-threaded instance leaves it alone and
        // simply never asks for a parallel call.
        this.threads = threads > 1 ? initThreads(threads) : 1;
        this.description = buildDescription();
    }

    @Override
    public String name() {
        return "native";
    }

    /** What the loaded library was built for, e.g. {@code aarch64 neon}. */
    public String description() {
        return description;
    }

    /** The machine's 128-bit FMA peak in GFLOP/s, one thread, measured for about {@code millis} ms. */
    public static double peakGflops(int millis) {
        return fmaPeakGflops(millis);
    }

    /** Threads the dense products use, the caller included. */
    public int threads() {
        return threads;
    }

    private boolean parallel(long macs) {
        return threads > 1 && macs >= DENSE_THREADS_FROM;
    }

    @Override
    public void denseForward(float[] a, int x, int w, int b, int y, int batch, int in, int out) {
        long macs = (long) batch * in * out;
        if (macs < DENSE_JAVA_BELOW) java.denseForward(a, x, w, b, y, batch, in, out);
        else denseForward0(a, x, w, b, y, batch, in, out, parallel(macs));
    }

    @Override
    public void denseInputGrad(float[] a, int dy, int w, int dx, int batch, int in, int out) {
        long macs = (long) batch * in * out;
        if (macs < DENSE_JAVA_BELOW) java.denseInputGrad(a, dy, w, dx, batch, in, out);
        else denseInputGrad0(a, dy, w, dx, batch, in, out, parallel(macs));
    }

    @Override
    public void denseWeightGrad(float[] a, int dy, int x, int dw, int batch, int in, int out, boolean accumulate) {
        long macs = (long) batch * in * out;
        if (macs < DENSE_JAVA_BELOW) java.denseWeightGrad(a, dy, x, dw, batch, in, out, accumulate);
        else denseWeightGrad0(a, dy, x, dw, batch, in, out, parallel(macs), accumulate);
    }

    @Override
    public void biasGrad(float[] a, int dy, int db, int batch, int out, boolean accumulate) {
        if (batch * out < ELEMENTWISE_JAVA_BELOW) java.biasGrad(a, dy, db, batch, out, accumulate);
        else biasGrad0(a, dy, db, batch, out, accumulate);
    }

    @Override
    public void leakyReluForward(float[] a, int x, int y, int n, float slope) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.leakyReluForward(a, x, y, n, slope);
        else leakyReluForward0(a, x, y, n, slope);
    }

    @Override
    public void leakyReluBackward(float[] a, int x, int dy, int dx, int n, float slope) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.leakyReluBackward(a, x, dy, dx, n, slope);
        else leakyReluBackward0(a, x, dy, dx, n, slope);
    }

    @Override
    public void sigmoidForward(float[] a, int x, int y, int n) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.sigmoidForward(a, x, y, n);
        else sigmoidForward0(a, x, y, n);
    }

    @Override
    public void sigmoidBackward(float[] a, int y, int dy, int dx, int n) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.sigmoidBackward(a, y, dy, dx, n);
        else sigmoidBackward0(a, y, dy, dx, n);
    }

    @Override
    public void tanhForward(float[] a, int x, int y, int n) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.tanhForward(a, x, y, n);
        else tanhForward0(a, x, y, n);
    }

    @Override
    public void tanhBackward(float[] a, int y, int dy, int dx, int n) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.tanhBackward(a, y, dy, dx, n);
        else tanhBackward0(a, y, dy, dx, n);
    }

    @Override
    public void softmaxForward(float[] a, int x, int y, int batch, int n) {
        if (batch * n < ELEMENTWISE_JAVA_BELOW) java.softmaxForward(a, x, y, batch, n);
        else softmaxForward0(a, x, y, batch, n);
    }

    @Override
    public void softmaxBackward(float[] a, int y, int dy, int dx, int batch, int n) {
        if (batch * n < ELEMENTWISE_JAVA_BELOW) java.softmaxBackward(a, y, dy, dx, batch, n);
        else softmaxBackward0(a, y, dy, dx, batch, n);
    }

    @Override
    public float softmaxCrossEntropy(float[] a, int z, int t, int dz, int batch, int n) {
        if (batch * n < ELEMENTWISE_JAVA_BELOW) return java.softmaxCrossEntropy(a, z, t, dz, batch, n);
        return softmaxCrossEntropy0(a, z, t, dz, batch, n);
    }

    @Override
    public void sgdStep(float[] a, int p, int g, int n, float lr, float weightDecay) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.sgdStep(a, p, g, n, lr, weightDecay);
        else sgdStep0(a, p, g, n, lr, weightDecay);
    }

    @Override
    public void momentumStep(float[] a, int p, int g, int v, int n, float lr, float momentum, float weightDecay, boolean nesterov) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.momentumStep(a, p, g, v, n, lr, momentum, weightDecay, nesterov);
        else momentumStep0(a, p, g, v, n, lr, momentum, weightDecay, nesterov);
    }

    @Override
    public void adamStep(float[] a, int p, int g, int m, int v, int n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
        if (n < ELEMENTWISE_JAVA_BELOW) {
            java.adamStep(a, p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2);
        } else {
            adamStep0(a, p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2);
        }
    }

    @Override
    public void rmspropStep(float[] a, int p, int g, int s, int n, float lr, float alpha, float eps, float weightDecay) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.rmspropStep(a, p, g, s, n, lr, alpha, eps, weightDecay);
        else rmspropStep0(a, p, g, s, n, lr, alpha, eps, weightDecay);
    }

    @Override
    public double sumOfSquares(float[] a, int x, int n) {
        if (n < ELEMENTWISE_JAVA_BELOW) return java.sumOfSquares(a, x, n);
        return sumOfSquares0(a, x, n);
    }

    @Override
    public void scale(float[] a, int x, int n, float s) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.scale(a, x, n, s);
        else scale0(a, x, n, s);
    }

    @Override
    public void clamp(float[] a, int x, int n, float limit) {
        if (n < ELEMENTWISE_JAVA_BELOW) java.clamp(a, x, n, limit);
        else clamp0(a, x, n, limit);
    }

    // ---- time layers: below these sizes the JNI crossing costs more than the loop (same crossovers as above) ----

    @Override
    public void conv1dForward(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime, int outCh,
                              int kernel, int stride, int dilation, int padLeft) {
        if ((long) batch * outTime * outCh * inCh * kernel < DENSE_JAVA_BELOW) {
            java.conv1dForward(a, x, w, b, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
        } else {
            conv1dForward0(a, x, w, b, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
        }
    }

    @Override
    public void im2col(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                       int padLeft) {
        if (batch * outTime * inCh * kernel < ELEMENTWISE_JAVA_BELOW) {
            java.im2col(a, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        } else {
            im2col0(a, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        }
    }

    @Override
    public void col2im(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                       int padLeft) {
        if (batch * outTime * inCh * kernel < ELEMENTWISE_JAVA_BELOW) {
            java.col2im(a, dcol, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        } else {
            col2im0(a, dcol, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        }
    }

    @Override
    public void maxPool1dForward(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        if (batch * inTime * ch < ELEMENTWISE_JAVA_BELOW) java.maxPool1dForward(a, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
        else maxPool1dForward0(a, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void maxPool1dBackward(float[] a, int dy, int arg, int dx, int batch, int inTime, int ch, int outTime) {
        if (batch * inTime * ch < ELEMENTWISE_JAVA_BELOW) java.maxPool1dBackward(a, dy, arg, dx, batch, inTime, ch, outTime);
        else maxPool1dBackward0(a, dy, arg, dx, batch, inTime, ch, outTime);
    }

    @Override
    public void avgPool1dForward(float[] a, int x, int y, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        if (batch * inTime * ch < ELEMENTWISE_JAVA_BELOW) java.avgPool1dForward(a, x, y, batch, inTime, ch, outTime, kernel, stride);
        else avgPool1dForward0(a, x, y, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void avgPool1dBackward(float[] a, int dy, int dx, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        if (batch * inTime * ch < ELEMENTWISE_JAVA_BELOW) java.avgPool1dBackward(a, dy, dx, batch, inTime, ch, outTime, kernel, stride);
        else avgPool1dBackward0(a, dy, dx, batch, inTime, ch, outTime, kernel, stride);
    }

    /** The gates cost three exponentials per unit, so they go native from fewer elements than the cheap elementwise kernels. */
    static final int GATES_JAVA_BELOW = 8;

    @Override
    public void gruGatesForward(float[] a, int gx, int gxStride, int gh, int gate, int hPrev, int hNext, int batch, int hidden) {
        if (batch * hidden < GATES_JAVA_BELOW) java.gruGatesForward(a, gx, gxStride, gh, gate, hPrev, hNext, batch, hidden);
        else gruGatesForward0(a, gx, gxStride, gh, gate, hPrev, hNext, batch, hidden);
    }

    @Override
    public void gruGatesBackward(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch, int hidden) {
        if (batch * hidden < GATES_JAVA_BELOW) java.gruGatesBackward(a, gate, gh, hPrev, dh, dgx, dgxStride, dgh, batch, hidden);
        else gruGatesBackward0(a, gate, gh, hPrev, dh, dgx, dgxStride, dgh, batch, hidden);
    }

    /** The native kernels without any dispatch to Java: for tests and selftest, which compare them with Java. */
    Kernels direct() {
        return new Direct();
    }

    // ---- JNI: implemented in native/src/jni_glue.c; offsets are in floats from the start of a ----

    static native String buildDescription();

    /**
     * The JNI interface this class declares; the library reports its own through {@link #abiVersion()} (ET_JNI_ABI in
     * native/include/edgetrain_kernels.h) and is used only when the two agree. Bump both when a native method changes.
     */
    public static final int ABI = 3;

    /** What the loaded library was built for (ET_JNI_ABI); missing in libraries that predate the handshake. */
    static native int abiVersion();

    static native int initThreads(int threads);

    /** GFLOP/s of 128-bit fused multiply-adds on independent accumulators, one thread: the machine's own peak. */
    static native double fmaPeakGflops(int millis);

    static native void denseForward0(float[] a, int x, int w, int b, int y, int batch, int in, int out, boolean parallel);

    static native void denseInputGrad0(float[] a, int dy, int w, int dx, int batch, int in, int out, boolean parallel);

    static native void denseWeightGrad0(float[] a, int dy, int x, int dw, int batch, int in, int out, boolean parallel,
                                        boolean accumulate);

    static native void biasGrad0(float[] a, int dy, int db, int batch, int out, boolean accumulate);

    static native void leakyReluForward0(float[] a, int x, int y, int n, float slope);

    static native void leakyReluBackward0(float[] a, int x, int dy, int dx, int n, float slope);

    static native void sigmoidForward0(float[] a, int x, int y, int n);

    static native void sigmoidBackward0(float[] a, int y, int dy, int dx, int n);

    static native void tanhForward0(float[] a, int x, int y, int n);

    static native void tanhBackward0(float[] a, int y, int dy, int dx, int n);

    static native void softmaxForward0(float[] a, int x, int y, int batch, int n);

    static native void softmaxBackward0(float[] a, int y, int dy, int dx, int batch, int n);

    static native float softmaxCrossEntropy0(float[] a, int z, int t, int dz, int batch, int n);

    static native void sgdStep0(float[] a, int p, int g, int n, float lr, float weightDecay);

    static native void momentumStep0(float[] a, int p, int g, int v, int n, float lr, float momentum, float weightDecay, boolean nesterov);

    static native void adamStep0(float[] a, int p, int g, int m, int v, int n, float lr, float beta1, float beta2, float eps,
                                 float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2);

    static native void rmspropStep0(float[] a, int p, int g, int s, int n, float lr, float alpha, float eps, float weightDecay);

    static native double sumOfSquares0(float[] a, int x, int n);

    static native void scale0(float[] a, int x, int n, float s);

    static native void clamp0(float[] a, int x, int n, float limit);

    static native void conv1dForward0(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime,
                                      int outCh, int kernel, int stride, int dilation, int padLeft);

    static native void im2col0(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride,
                               int dilation, int padLeft);

    static native void col2im0(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride,
                               int dilation, int padLeft);

    static native void maxPool1dForward0(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel,
                                         int stride);

    static native void maxPool1dBackward0(float[] a, int dy, int arg, int dx, int batch, int inTime, int ch, int outTime);

    static native void avgPool1dForward0(float[] a, int x, int y, int batch, int inTime, int ch, int outTime, int kernel, int stride);

    static native void avgPool1dBackward0(float[] a, int dy, int dx, int batch, int inTime, int ch, int outTime, int kernel, int stride);

    static native void gruGatesForward0(float[] a, int gx, int gxStride, int gh, int gate, int hPrev, int hNext, int batch, int hidden);

    static native void gruGatesBackward0(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch,
                                         int hidden);

    /** Every call native, whatever its size (single-threaded dense products). */
    private static final class Direct implements Kernels {
        @Override
        public String name() {
            return "native-direct";
        }

        @Override
        public void denseForward(float[] a, int x, int w, int b, int y, int batch, int in, int out) {
            denseForward0(a, x, w, b, y, batch, in, out, false);
        }

        @Override
        public void denseInputGrad(float[] a, int dy, int w, int dx, int batch, int in, int out) {
            denseInputGrad0(a, dy, w, dx, batch, in, out, false);
        }

        @Override
        public void denseWeightGrad(float[] a, int dy, int x, int dw, int batch, int in, int out, boolean accumulate) {
            denseWeightGrad0(a, dy, x, dw, batch, in, out, false, accumulate);
        }

        @Override
        public void biasGrad(float[] a, int dy, int db, int batch, int out, boolean accumulate) {
            biasGrad0(a, dy, db, batch, out, accumulate);
        }

        @Override
        public void leakyReluForward(float[] a, int x, int y, int n, float slope) {
            leakyReluForward0(a, x, y, n, slope);
        }

        @Override
        public void leakyReluBackward(float[] a, int x, int dy, int dx, int n, float slope) {
            leakyReluBackward0(a, x, dy, dx, n, slope);
        }

        @Override
        public void sigmoidForward(float[] a, int x, int y, int n) {
            sigmoidForward0(a, x, y, n);
        }

        @Override
        public void sigmoidBackward(float[] a, int y, int dy, int dx, int n) {
            sigmoidBackward0(a, y, dy, dx, n);
        }

        @Override
        public void tanhForward(float[] a, int x, int y, int n) {
            tanhForward0(a, x, y, n);
        }

        @Override
        public void tanhBackward(float[] a, int y, int dy, int dx, int n) {
            tanhBackward0(a, y, dy, dx, n);
        }

        @Override
        public void softmaxForward(float[] a, int x, int y, int batch, int n) {
            softmaxForward0(a, x, y, batch, n);
        }

        @Override
        public void softmaxBackward(float[] a, int y, int dy, int dx, int batch, int n) {
            softmaxBackward0(a, y, dy, dx, batch, n);
        }

        @Override
        public float softmaxCrossEntropy(float[] a, int z, int t, int dz, int batch, int n) {
            return softmaxCrossEntropy0(a, z, t, dz, batch, n);
        }

        @Override
        public void sgdStep(float[] a, int p, int g, int n, float lr, float weightDecay) {
            sgdStep0(a, p, g, n, lr, weightDecay);
        }

        @Override
        public void momentumStep(float[] a, int p, int g, int v, int n, float lr, float momentum, float weightDecay, boolean nesterov) {
            momentumStep0(a, p, g, v, n, lr, momentum, weightDecay, nesterov);
        }

        @Override
        public void adamStep(float[] a, int p, int g, int m, int v, int n, float lr, float beta1, float beta2, float eps,
                             float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
            adamStep0(a, p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2);
        }

        @Override
        public void rmspropStep(float[] a, int p, int g, int s, int n, float lr, float alpha, float eps, float weightDecay) {
            rmspropStep0(a, p, g, s, n, lr, alpha, eps, weightDecay);
        }

        @Override
        public double sumOfSquares(float[] a, int x, int n) {
            return sumOfSquares0(a, x, n);
        }

        @Override
        public void scale(float[] a, int x, int n, float s) {
            scale0(a, x, n, s);
        }

        @Override
        public void clamp(float[] a, int x, int n, float limit) {
            clamp0(a, x, n, limit);
        }

        @Override
        public void conv1dForward(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime,
                                  int outCh, int kernel, int stride, int dilation, int padLeft) {
            conv1dForward0(a, x, w, b, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
        }

        @Override
        public void im2col(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                           int padLeft) {
            im2col0(a, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        }

        @Override
        public void col2im(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride,
                           int dilation, int padLeft) {
            col2im0(a, dcol, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        }

        @Override
        public void maxPool1dForward(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel,
                                     int stride) {
            maxPool1dForward0(a, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
        }

        @Override
        public void maxPool1dBackward(float[] a, int dy, int arg, int dx, int batch, int inTime, int ch, int outTime) {
            maxPool1dBackward0(a, dy, arg, dx, batch, inTime, ch, outTime);
        }

        @Override
        public void avgPool1dForward(float[] a, int x, int y, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
            avgPool1dForward0(a, x, y, batch, inTime, ch, outTime, kernel, stride);
        }

        @Override
        public void avgPool1dBackward(float[] a, int dy, int dx, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
            avgPool1dBackward0(a, dy, dx, batch, inTime, ch, outTime, kernel, stride);
        }

        @Override
        public void gruGatesForward(float[] a, int gx, int gxStride, int gh, int gate, int hPrev, int hNext, int batch, int hidden) {
            gruGatesForward0(a, gx, gxStride, gh, gate, hPrev, hNext, batch, hidden);
        }

        @Override
        public void gruGatesBackward(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch,
                                     int hidden) {
            gruGatesBackward0(a, gate, gh, hPrev, dh, dgx, dgxStride, dgh, batch, hidden);
        }
    }
}
