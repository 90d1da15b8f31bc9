package org.edgetrain.kernels;

/** Kernels that forward every call to the Java reference; tests override one method to break it on purpose. */
class ForwardingKernels implements Kernels {
    final Kernels to = new JavaKernels();

    @Override
    public String name() {
        return to.name();
    }

    @Override
    public void denseForward(float[] a, int x, int w, int b, int y, int batch, int in, int out) {
        to.denseForward(a, x, w, b, y, batch, in, out);
    }

    @Override
    public void denseInputGrad(float[] a, int dy, int w, int dx, int batch, int in, int out) {
        to.denseInputGrad(a, dy, w, dx, batch, in, out);
    }

    @Override
    public void denseWeightGrad(float[] a, int dy, int x, int dw, int batch, int in, int out, boolean accumulate) {
        to.denseWeightGrad(a, dy, x, dw, batch, in, out, accumulate);
    }

    @Override
    public void biasGrad(float[] a, int dy, int db, int batch, int out, boolean accumulate) {
        to.biasGrad(a, dy, db, batch, out, accumulate);
    }

    @Override
    public void leakyReluForward(float[] a, int x, int y, int n, float slope) {
        to.leakyReluForward(a, x, y, n, slope);
    }

    @Override
    public void leakyReluBackward(float[] a, int x, int dy, int dx, int n, float slope) {
        to.leakyReluBackward(a, x, dy, dx, n, slope);
    }

    @Override
    public void sigmoidForward(float[] a, int x, int y, int n) {
        to.sigmoidForward(a, x, y, n);
    }

    @Override
    public void sigmoidBackward(float[] a, int y, int dy, int dx, int n) {
        to.sigmoidBackward(a, y, dy, dx, n);
    }

    @Override
    public void tanhForward(float[] a, int x, int y, int n) {
        to.tanhForward(a, x, y, n);
    }

    @Override
    public void tanhBackward(float[] a, int y, int dy, int dx, int n) {
        to.tanhBackward(a, y, dy, dx, n);
    }

    @Override
    public void softmaxForward(float[] a, int x, int y, int batch, int n) {
        to.softmaxForward(a, x, y, batch, n);
    }

    @Override
    public void softmaxBackward(float[] a, int y, int dy, int dx, int batch, int n) {
        to.softmaxBackward(a, y, dy, dx, batch, n);
    }

    @Override
    public float softmaxCrossEntropy(float[] a, int z, int t, int dz, int batch, int n) {
        return to.softmaxCrossEntropy(a, z, t, dz, batch, n);
    }

    @Override
    public void sgdStep(float[] a, int p, int g, int n, float lr, float weightDecay) {
        to.sgdStep(a, p, g, n, lr, weightDecay);
    }

    @Override
    public void momentumStep(float[] a, int p, int g, int v, int n, float lr, float momentum, float weightDecay, boolean nesterov) {
        to.momentumStep(a, p, g, v, n, lr, momentum, weightDecay, nesterov);
    }

    @Override
    public void adamStep(float[] a, int p, int g, int m, int v, int n, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
        to.adamStep(a, p, g, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2);
    }

    @Override
    public void rmspropStep(float[] a, int p, int g, int s, int n, float lr, float alpha, float eps, float weightDecay) {
        to.rmspropStep(a, p, g, s, n, lr, alpha, eps, weightDecay);
    }

    @Override
    public double sumOfSquares(float[] a, int x, int n) {
        return to.sumOfSquares(a, x, n);
    }

    @Override
    public void scale(float[] a, int x, int n, float s) {
        to.scale(a, x, n, s);
    }

    @Override
    public void clamp(float[] a, int x, int n, float limit) {
        to.clamp(a, x, n, limit);
    }

    // ---- time layers (forwarded) ----

    @Override
    public void conv1dForward(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime, int outCh,
                              int kernel, int stride, int dilation, int padLeft) {
        to.conv1dForward(a, x, w, b, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
    }

    @Override
    public void im2col(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                       int padLeft) {
        to.im2col(a, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
    }

    @Override
    public void col2im(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                       int padLeft) {
        to.col2im(a, dcol, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
    }

    @Override
    public void maxPool1dForward(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        to.maxPool1dForward(a, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void maxPool1dBackward(float[] a, int dy, int arg, int dx, int batch, int inTime, int ch, int outTime) {
        to.maxPool1dBackward(a, dy, arg, dx, batch, inTime, ch, outTime);
    }

    @Override
    public void avgPool1dForward(float[] a, int x, int y, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        to.avgPool1dForward(a, x, y, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void avgPool1dBackward(float[] a, int dy, int dx, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        to.avgPool1dBackward(a, dy, dx, batch, inTime, ch, outTime, kernel, stride);
    }

    @Override
    public void gruGatesForward(float[] a, int gx, int gxStride, int gh, int gate, int hPrev, int hNext, int batch, int hidden) {
        to.gruGatesForward(a, gx, gxStride, gh, gate, hPrev, hNext, batch, hidden);
    }

    @Override
    public void gruGatesBackward(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch, int hidden) {
        to.gruGatesBackward(a, gate, gh, hPrev, dh, dgx, dgxStride, dgh, batch, hidden);
    }
}
