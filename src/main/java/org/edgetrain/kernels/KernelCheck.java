package org.edgetrain.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.util.Rng;

/**
 * Compares a kernel implementation with the Java reference on seeded inputs over edge shapes (below, at and above
 * every tile and power of two), at unaligned offsets in one array, with canaries around every output. Float tolerance
 * scales with the reduction length and the magnitude of the terms: {@code |got − ref| ≤ 4·(k+2)·2⁻²⁴·Σ|terms|}.
 * Used by {@code edgetrain selftest} on the user's board and by the tests.
 */
public final class KernelCheck {
    /** The edge sizes every dimension takes. */
    public static final int[] EDGES = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129};
    private static final int[] THIRD = {1, 17, 64};
    private static final double EPS = 0x1p-24;

    private final Kernels ref;
    private final Kernels cand;
    private final Rng rng = new Rng(20261123);
    private final List<String> failures = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private int checks;

    public KernelCheck(Kernels reference, Kernels candidate) {
        this.ref = reference;
        this.cand = candidate;
    }

    /** Runs every family; returns the failures (empty when all match). */
    public List<String> run() {
        dense();
        elementwise();
        softmax();
        optimizers();
        reductions();
        timeLayers();
        return failures;
    }

    /** Only the time-layer families (conv1d, im2col/col2im, pooling, GRU gates). */
    List<String> runTimeLayers() {
        timeLayers();
        return failures;
    }

    /** One line per family: how many shapes were checked and the largest error relative to its tolerance. */
    public List<String> summary() {
        return summary;
    }

    public int checks() {
        return checks;
    }

    // ---- dense products over every pair of edge sizes, the third dimension from a short list ----

    private void dense() {
        double[] worst = new double[4];
        int shapes = 0;
        for (int p : EDGES) {
            for (int q : EDGES) {
                for (int r : THIRD) {
                    int[][] dims = {{p, q, r}, {p, r, q}, {r, p, q}};
                    for (int[] d : dims) {
                        denseOne(d[0], d[1], d[2], worst);
                        shapes++;
                    }
                }
            }
        }
        String[] names = {"denseForward", "denseInputGrad", "denseWeightGrad", "biasGrad"};
        for (int i = 0; i < 4; i++) summary.add(line(names[i], shapes, worst[i]));
    }

    private void denseOne(int batch, int in, int out, double[] worst) {
        // layout in one array: x, w, b, y, dy, dx, dw, db with gaps (canaries) between
        int gap = 3;
        int x = 1, w = x + batch * in + gap, b = w + out * in + gap, y = b + out + gap, dy = y + batch * out + gap;
        int dx = dy + batch * out + gap, dw = dx + batch * in + gap, db = dw + out * in + gap, end = db + out + gap;
        float[] a = new float[end];
        for (int i = 0; i < end; i++) a[i] = (float) rng.nextGaussian();
        String shape = String.format(Locale.ROOT, "batch=%d in=%d out=%d", batch, in, out);
        float[] r = a.clone();
        float[] c = a.clone();
        ref.denseForward(r, x, w, b, y, batch, in, out);
        cand.denseForward(c, x, w, b, y, batch, in, out);
        worst[0] = Math.max(worst[0], compareProducts("denseForward", shape, a, r, c, y, batch, out, (s, o) -> {
            double t = Math.abs(a[b + o]);
            for (int i = 0; i < in; i++) t += Math.abs(a[x + s * in + i] * a[w + o * in + i]);
            return t;
        }, in));
        checkUntouched("denseForward", shape, r, c, y, batch * out);
        r = a.clone();
        c = a.clone();
        ref.denseInputGrad(r, dy, w, dx, batch, in, out);
        cand.denseInputGrad(c, dy, w, dx, batch, in, out);
        worst[1] = Math.max(worst[1], compareProducts("denseInputGrad", shape, a, r, c, dx, batch, in, (s, i) -> {
            double t = 0;
            for (int o = 0; o < out; o++) t += Math.abs(a[dy + s * out + o] * a[w + o * in + i]);
            return t;
        }, out));
        checkUntouched("denseInputGrad", shape, r, c, dx, batch * in);
        for (boolean accumulate : new boolean[] {true, false}) {
            String mode = accumulate ? "" : " (overwrite)";
            r = a.clone();
            c = a.clone();
            ref.denseWeightGrad(r, dy, x, dw, batch, in, out, accumulate);
            cand.denseWeightGrad(c, dy, x, dw, batch, in, out, accumulate);
            worst[2] = Math.max(worst[2], compareProducts("denseWeightGrad" + mode, shape, a, r, c, dw, out, in, (o, i) -> {
                double t = accumulate ? Math.abs(a[dw + o * in + i]) : 0;
                for (int s = 0; s < batch; s++) t += Math.abs(a[dy + s * out + o] * a[x + s * in + i]);
                return t;
            }, batch));
            checkUntouched("denseWeightGrad" + mode, shape, r, c, dw, out * in);
            r = a.clone();
            c = a.clone();
            ref.biasGrad(r, dy, db, batch, out, accumulate);
            cand.biasGrad(c, dy, db, batch, out, accumulate);
            worst[3] = Math.max(worst[3], compareProducts("biasGrad" + mode, shape, a, r, c, db, 1, out, (z, o) -> {
                double t = accumulate ? Math.abs(a[db + o]) : 0;
                for (int s = 0; s < batch; s++) t += Math.abs(a[dy + s * out + o]);
                return t;
            }, batch));
            checkUntouched("biasGrad" + mode, shape, r, c, db, out);
        }
    }

    private interface TermSum {
        double at(int row, int col);
    }

    private double compareProducts(String kernel, String shape, float[] in, float[] r, float[] c, int off, int rows, int cols,
                                   TermSum terms, int k) {
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                checks++;
                float want = r[off + i * cols + j], got = c[off + i * cols + j];
                double tol = 4 * (k + 2) * EPS * terms.at(i, j) + 1e-30;
                double err = Math.abs((double) want - got);
                if (!(err <= tol)) {
                    fail(kernel, shape, "element [" + i + ", " + j + "]: java " + want + ", candidate " + got + " (tolerance " + (float) tol + ")");
                    return worst;
                }
                worst = Math.max(worst, err / tol);
            }
        }
        return worst;
    }

    private void checkUntouched(String kernel, String shape, float[] r, float[] c, int off, int n) {
        for (int i = 0; i < r.length; i++) {
            if (i >= off && i < off + n) continue;
            if (Float.floatToRawIntBits(r[i]) != Float.floatToRawIntBits(c[i])) {
                fail(kernel, shape, "wrote outside its output at offset " + (i - off));
                return;
            }
        }
    }

    // ---- elementwise: activations and their derivatives ----

    private void elementwise() {
        double[] worst = new double[6];
        for (int n : sizes()) {
            int x = 2, y = x + n + 3, g = y + n + 3, d = g + n + 3, end = d + n + 3;
            float[] a = new float[end];
            for (int i = 0; i < end; i++) a[i] = (float) (rng.nextGaussian() * 4);
            String shape = "n=" + n;
            float[] r = a.clone(), c = a.clone();
            ref.leakyReluForward(r, x, y, n, 0.01f);
            cand.leakyReluForward(c, x, y, n, 0.01f);
            worst[0] = Math.max(worst[0], compareElementwise("leakyReluForward", shape, r, c, y, n, 0));
            r = a.clone();
            c = a.clone();
            ref.leakyReluBackward(r, x, g, d, n, 0.2f);
            cand.leakyReluBackward(c, x, g, d, n, 0.2f);
            worst[1] = Math.max(worst[1], compareElementwise("leakyReluBackward", shape, r, c, d, n, 0));
            r = a.clone();
            c = a.clone();
            ref.sigmoidForward(r, x, y, n);
            cand.sigmoidForward(c, x, y, n);
            worst[2] = Math.max(worst[2], compareElementwise("sigmoidForward", shape, r, c, y, n, 4e-7));
            c = r.clone(); // backward from the same cached output, so only the backward is compared
            ref.sigmoidBackward(r, y, g, d, n);
            cand.sigmoidBackward(c, y, g, d, n);
            worst[3] = Math.max(worst[3], compareElementwise("sigmoidBackward", shape, r, c, d, n, 2e-6));
            r = a.clone();
            c = a.clone();
            ref.tanhForward(r, x, y, n);
            cand.tanhForward(c, x, y, n);
            worst[4] = Math.max(worst[4], compareElementwise("tanhForward", shape, r, c, y, n, 4e-7));
            c = r.clone();
            ref.tanhBackward(r, y, g, d, n);
            cand.tanhBackward(c, y, g, d, n);
            worst[5] = Math.max(worst[5], compareElementwise("tanhBackward", shape, r, c, d, n, 2e-6));
        }
        String[] names = {"leakyReluForward", "leakyReluBackward", "sigmoidForward", "sigmoidBackward", "tanhForward", "tanhBackward"};
        for (int i = 0; i < names.length; i++) summary.add(line(names[i], sizes().length, worst[i]));
    }

    /** relTol 0 means exact (bit for bit); else |got − want| ≤ relTol·max(|want|, 1e-3) (absolute near zero). */
    private double compareElementwise(String kernel, String shape, float[] r, float[] c, int off, int n, double relTol) {
        return compareElementwise(kernel, shape, r, c, off, n, relTol, 1e-3);
    }

    private double compareElementwise(String kernel, String shape, float[] r, float[] c, int off, int n, double relTol, double floor) {
        double worst = 0;
        for (int i = 0; i < r.length; i++) {
            checks++;
            boolean output = i >= off && i < off + n;
            float want = r[i], got = c[i];
            if (!output || relTol == 0) {
                if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got) && !(want == 0f && got == 0f)) {
                    fail(kernel, shape, output ? "element " + (i - off) + ": java " + want + ", candidate " + got
                            : "wrote outside its output at offset " + (i - off));
                    return worst;
                }
                continue;
            }
            double tol = relTol * Math.max(Math.abs(want), floor);
            double err = Math.abs((double) want - got);
            if (!(err <= tol)) {
                fail(kernel, shape, "element " + (i - off) + ": java " + want + ", candidate " + got + " (tolerance " + (float) tol + ")");
                return worst;
            }
            worst = Math.max(worst, err / tol);
        }
        return worst;
    }

    // ---- softmax, its backward and the fused cross-entropy ----

    private void softmax() {
        double[] worst = new double[3];
        int shapes = 0;
        for (int batch : new int[] {1, 3, 32}) {
            for (int n : EDGES) {
                shapes++;
                int z = 1, t = z + batch * n + 2, y = t + batch + 2, g = y + batch * n + 2, d = g + batch * n + 2, end = d + batch * n + 2;
                float[] a = new float[end];
                for (int i = 0; i < end; i++) a[i] = (float) (rng.nextGaussian() * 3);
                for (int s = 0; s < batch; s++) a[t + s] = rng.nextInt(n);
                String shape = "batch=" + batch + " n=" + n;
                float[] r = a.clone(), c = a.clone();
                ref.softmaxForward(r, z, y, batch, n);
                cand.softmaxForward(c, z, y, batch, n);
                worst[0] = Math.max(worst[0], compareElementwise("softmaxForward", shape, r, c, y, batch * n, 2e-6));
                c = r.clone();
                ref.softmaxBackward(r, y, g, d, batch, n);
                cand.softmaxBackward(c, y, g, d, batch, n);
                worst[1] = Math.max(worst[1], compareElementwise("softmaxBackward", shape, r, c, d, batch * n, 1e-4));
                r = a.clone();
                c = a.clone();
                float lr = ref.softmaxCrossEntropy(r, z, t, d, batch, n);
                float lc = cand.softmaxCrossEntropy(c, z, t, d, batch, n);
                checks++;
                if (!(Math.abs(lr - lc) <= 1e-5 * Math.max(1, Math.abs(lr)))) fail("softmaxCrossEntropy", shape, "loss java " + lr + ", candidate " + lc);
                // dz = (p − onehot)/batch: its error is a few ulp of p, so the tolerance floor is 1/batch, not |dz|
                worst[2] = Math.max(worst[2], compareElementwise("softmaxCrossEntropy", shape, r, c, d, batch * n, 2e-6, 1.0 / batch));
            }
        }
        summary.add(line("softmaxForward", shapes, worst[0]));
        summary.add(line("softmaxBackward", shapes, worst[1]));
        summary.add(line("softmaxCrossEntropy", shapes, worst[2]));
    }

    // ---- optimizer updates ----

    private void optimizers() {
        double[] worst = new double[5];
        for (int n : sizes()) {
            int p = 3, g = p + n + 1, m = g + n + 1, v = m + n + 1, end = v + n + 1;
            float[] a = new float[end];
            for (int i = 0; i < end; i++) a[i] = (float) rng.nextGaussian();
            for (int i = v; i < v + n; i++) a[i] = Math.abs(a[i]); // second moments are non-negative
            String shape = "n=" + n;
            float[] r = a.clone(), c = a.clone();
            ref.sgdStep(r, p, g, n, 0.1f, 0.01f);
            cand.sgdStep(c, p, g, n, 0.1f, 0.01f);
            worst[0] = Math.max(worst[0], compareElementwise("sgdStep", shape, r, c, p, n, 1e-6));
            for (boolean nesterov : new boolean[] {false, true}) {
                r = a.clone();
                c = a.clone();
                ref.momentumStep(r, p, g, m, n, 0.1f, 0.9f, 0.01f, nesterov);
                cand.momentumStep(c, p, g, m, n, 0.1f, 0.9f, 0.01f, nesterov);
                worst[1] = Math.max(worst[1], compareState("momentumStep", shape, r, c, p, n, m));
            }
            for (boolean decoupled : new boolean[] {false, true}) {
                r = a.clone();
                c = a.clone();
                ref.adamStep(r, p, g, m, v, n, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, 0.271f, 0.00399f);
                cand.adamStep(c, p, g, m, v, n, 0.01f, 0.9f, 0.999f, 1e-8f, 0.01f, decoupled, 0.271f, 0.00399f);
                worst[2] = Math.max(worst[2], compareState("adamStep", shape, r, c, p, n, m, v));
            }
            r = a.clone();
            c = a.clone();
            ref.rmspropStep(r, p, g, v, n, 0.01f, 0.99f, 1e-8f, 0.01f);
            cand.rmspropStep(c, p, g, v, n, 0.01f, 0.99f, 1e-8f, 0.01f);
            worst[3] = Math.max(worst[3], compareState("rmspropStep", shape, r, c, p, n, v));
        }
        String[] names = {"sgdStep", "momentumStep", "adamStep", "rmspropStep"};
        for (int i = 0; i < names.length; i++) summary.add(line(names[i], sizes().length, worst[i]));
    }

    /**
     * Parameters and each state block must match within tolerance, and nothing else may change (the gradients least
     * of all): the parameters are compared with the state blocks equalized, then each state block on its own.
     */
    private double compareState(String kernel, String shape, float[] r, float[] c, int p, int n, int... states) {
        float[] c2 = c.clone();
        for (int s : states) System.arraycopy(r, s, c2, s, n);
        double w = compareElementwise(kernel, shape + " (parameters)", r, c2, p, n, 1e-5);
        for (int s : states) {
            for (int i = 0; i < n; i++) {
                float want = r[s + i], got = c[s + i];
                checks++;
                if (!(Math.abs(want - got) <= 1e-6 * Math.max(Math.abs(want), 1e-3))) {
                    fail(kernel, shape, "state element " + i + ": java " + want + ", candidate " + got);
                    return w;
                }
            }
        }
        return w;
    }

    // ---- reductions and clipping ----

    private void reductions() {
        double worst = 0;
        for (int n : sizes()) {
            int x = 1, end = x + n + 1;
            float[] a = new float[end];
            for (int i = 0; i < end; i++) a[i] = (float) (rng.nextGaussian() * 100);
            double r = ref.sumOfSquares(a, x, n), c = cand.sumOfSquares(a, x, n);
            checks++;
            double err = Math.abs(r - c) / (1e-6 * r);
            if (!(err <= 1)) fail("sumOfSquares", "n=" + n, "java " + r + ", candidate " + c);
            worst = Math.max(worst, err);
            float[] rs = a.clone(), cs = a.clone();
            ref.scale(rs, x, n, 0.37f);
            cand.scale(cs, x, n, 0.37f);
            compareElementwise("scale", "n=" + n, rs, cs, x, n, 0);
            rs = a.clone();
            cs = a.clone();
            ref.clamp(rs, x, n, 50f);
            cand.clamp(cs, x, n, 50f);
            compareElementwise("clamp", "n=" + n, rs, cs, x, n, 0);
        }
        summary.add(line("sumOfSquares", sizes().length, worst));
        summary.add(line("scale, clamp", sizes().length, 0));
    }

    // ---- time layers: conv1d (direct forward, im2col, col2im), pooling, GRU gates ----

    /**
     * Edge shapes of the window layers: 1, 3 and odd channel counts, output channels off the 4-lane tiles, the kernel as
     * long as the window, stride and dilation above 1, odd lengths, and every padding (valid, same, causal).
     */
    private void timeLayers() {
        double[] worst = new double[2];
        int convShapes = 0;
        int[][] convs = { // inCh, outCh, kernel, stride, dilation, padding 0 valid / 1 same / 2 causal, extra steps
            {1, 1, 1, 1, 1, 0, 0}, {3, 16, 5, 1, 1, 0, 124}, {16, 32, 5, 1, 1, 0, 58}, {3, 7, 5, 1, 1, 1, 6}, {3, 5, 3, 2, 1, 2, 8},
            {5, 9, 3, 1, 2, 2, 7}, {5, 3, 4, 3, 2, 1, 10}, {1, 17, 5, 2, 1, 0, 0}, {7, 4, 2, 1, 3, 1, 1}, {3, 13, 7, 1, 1, 0, 0},
            {2, 33, 3, 1, 1, 1, 33}, {16, 6, 1, 2, 1, 0, 9}, {3, 16, 5, 3, 2, 2, 17}};
        for (int[] v : convs) {
            for (int batch : new int[] {1, 3}) {
                for (boolean bias : new boolean[] {true, false}) convOne(batch, v, bias, worst);
                convShapes++;
            }
        }
        summary.add(line("conv1dForward", convShapes, worst[0]));
        summary.add(line("im2col, col2im", convShapes, 0));
        int poolShapes = 0;
        for (int ch : new int[] {1, 3, 4, 5, 16, 17}) {
            for (int[] kst : new int[][] {{2, 2, 9}, {3, 1, 7}, {1, 1, 3}, {4, 3, 13}, {5, 5, 5}, {2, 2, 128}}) {
                poolOne(2, ch, kst[2], kst[0], kst[1]);
                poolShapes++;
            }
        }
        summary.add(line("max/avg pool1d", poolShapes, 0));
        int gruShapes = 0;
        for (int hidden : new int[] {1, 3, 4, 5, 13, 32, 33}) {
            for (int batch : new int[] {1, 2, 5}) {
                gruOne(batch, hidden, worst);
                gruShapes++;
            }
        }
        summary.add(line("gru gates", gruShapes, worst[1]));
    }

    private void convOne(int batch, int[] v, boolean bias, double[] worst) {
        int inCh = v[0], outCh = v[1], kernel = v[2], stride = v[3], dilation = v[4], span = dilation * (kernel - 1);
        int padLeft = v[5] == 0 ? 0 : v[5] == 1 ? span / 2 : span, padTotal = v[5] == 0 ? 0 : span;
        int inTime = span + 1 + v[6], outTime = (inTime + padTotal - span - 1) / stride + 1, gap = 3;
        int x = 2, w = x + batch * inTime * inCh + gap, b = w + outCh * inCh * kernel + gap, y = b + outCh + gap;
        int pack = y + batch * outTime * outCh + gap, col = pack + Kernels.conv1dPackFloats(inCh, outCh, kernel) + gap;
        int dx = col + batch * outTime * inCh * kernel + gap, end = dx + batch * inTime * inCh + gap;
        float[] a = new float[end];
        for (int i = 0; i < end; i++) a[i] = (float) rng.nextGaussian();
        String shape = String.format(Locale.ROOT, "batch=%d time=%d in=%d out=%d k=%d s=%d d=%d pad=%d%s", batch, inTime, inCh, outCh, kernel,
                stride, dilation, padLeft, bias ? "" : " no bias");
        int bo = bias ? b : -1;
        float[] r = a.clone(), c = a.clone();
        ref.conv1dForward(r, x, w, bo, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
        cand.conv1dForward(c, x, w, bo, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
        System.arraycopy(r, pack, c, pack, Kernels.conv1dPackFloats(inCh, outCh, kernel)); // scratch: its contents are free
        worst[0] = Math.max(worst[0], compareProducts("conv1dForward", shape, a, r, c, y, batch * outTime, outCh, (row, o) -> {
            int n = row / outTime, t = row % outTime;
            double sum = bias ? Math.abs(a[b + o]) : 0;
            for (int k = 0; k < kernel; k++) {
                int ti = t * stride + k * dilation - padLeft;
                if (ti < 0 || ti >= inTime) continue;
                for (int ci = 0; ci < inCh; ci++) sum += Math.abs(a[w + (o * inCh + ci) * kernel + k] * a[x + (n * inTime + ti) * inCh + ci]);
            }
            return sum;
        }, inCh * kernel));
        checkUntouched("conv1dForward", shape, r, c, y, batch * outTime * outCh);
        r = a.clone();
        c = a.clone();
        ref.im2col(r, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        cand.im2col(c, x, col, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        compareExact("im2col", shape, r, c);
        r = a.clone();
        c = a.clone();
        ref.col2im(r, col, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        cand.col2im(c, col, dx, batch, inTime, inCh, outTime, kernel, stride, dilation, padLeft);
        compareExact("col2im", shape, r, c);
    }

    private void poolOne(int batch, int ch, int inTime, int kernel, int stride) {
        int outTime = (inTime - kernel) / stride + 1, gap = 3;
        int x = 1, y = x + batch * inTime * ch + gap, arg = y + batch * outTime * ch + gap, dy = arg + batch * outTime * ch + gap;
        int dx = dy + batch * outTime * ch + gap, end = dx + batch * inTime * ch + gap;
        float[] a = new float[end];
        for (int i = 0; i < end; i++) a[i] = (float) rng.nextGaussian();
        for (int i = 0; i + ch < batch * inTime * ch; i += 5) a[x + i] = a[x + i + ch]; // ties between neighbouring steps
        if (batch * inTime * ch > 11) a[x + 11] = Float.NaN;
        String shape = String.format(Locale.ROOT, "batch=%d time=%d ch=%d k=%d s=%d", batch, inTime, ch, kernel, stride);
        float[] r = a.clone(), c = a.clone();
        ref.maxPool1dForward(r, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
        cand.maxPool1dForward(c, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
        compareExact("maxPool1dForward", shape, r, c);
        ref.maxPool1dBackward(r, dy, arg, dx, batch, inTime, ch, outTime);
        cand.maxPool1dBackward(c, dy, arg, dx, batch, inTime, ch, outTime);
        compareExact("maxPool1dBackward", shape, r, c);
        r = a.clone();
        c = a.clone();
        ref.avgPool1dForward(r, x, y, batch, inTime, ch, outTime, kernel, stride);
        cand.avgPool1dForward(c, x, y, batch, inTime, ch, outTime, kernel, stride);
        compareExact("avgPool1dForward", shape, r, c);
        ref.avgPool1dBackward(r, dy, dx, batch, inTime, ch, outTime, kernel, stride);
        cand.avgPool1dBackward(c, dy, dx, batch, inTime, ch, outTime, kernel, stride);
        compareExact("avgPool1dBackward", shape, r, c);
    }

    private void gruOne(int batch, int hidden, double[] worst) {
        int g3 = 3 * hidden, stride = 4 * g3 + 1, gap = 3;
        int gx = 1, gh = gx + batch * stride + gap, hp = gh + batch * g3 + gap, gate = hp + batch * hidden + gap;
        int hn = gate + batch * g3 + gap, dh = hn + batch * hidden + gap, dgx = dh + batch * hidden + gap, dgh = dgx + batch * stride + gap;
        int end = dgh + batch * g3 + gap;
        float[] a = new float[end];
        for (int i = 0; i < end; i++) a[i] = (float) (rng.nextGaussian() * (i < gh ? 4 : 1)); // gx into the saturating ends
        String shape = String.format(Locale.ROOT, "batch=%d hidden=%d", batch, hidden);
        float[] r = a.clone(), c = a.clone();
        ref.gruGatesForward(r, gx, stride, gh, gate, hp, hn, batch, hidden);
        cand.gruGatesForward(c, gx, stride, gh, gate, hp, hn, batch, hidden);
        // σ and tanh within a few ulp (vector exponentials against Math.exp), so r, z, n and h' within 1e-6 of their size
        for (int[] region : new int[][] {{gate, batch * g3}, {hn, batch * hidden}}) {
            for (int i = 0; i < region[1]; i++) {
                checks++;
                float want = r[region[0] + i], got = c[region[0] + i];
                double tol = 1e-6 * Math.max(1, Math.abs(want)), err = Math.abs((double) want - got);
                if (!(err <= tol)) {
                    fail("gruGatesForward", shape, "element " + i + ": java " + want + ", candidate " + got);
                    return;
                }
                worst[1] = Math.max(worst[1], err / tol);
                c[region[0] + i] = want; // the backward below starts from the same gates
            }
        }
        compareExact("gruGatesForward", shape, r, c);
        ref.gruGatesBackward(r, gate, gh, hp, dh, dgx, stride, dgh, batch, hidden);
        cand.gruGatesBackward(c, gate, gh, hp, dh, dgx, stride, dgh, batch, hidden);
        compareExact("gruGatesBackward", shape, r, c);
    }

    /** Bit for bit over the whole array (outputs and everything around them); ±0 count as equal. */
    private void compareExact(String kernel, String shape, float[] r, float[] c) {
        for (int i = 0; i < r.length; i++) {
            checks++;
            if (Float.floatToRawIntBits(r[i]) != Float.floatToRawIntBits(c[i]) && !(r[i] == 0f && c[i] == 0f)
                    && !(Float.isNaN(r[i]) && Float.isNaN(c[i]))) {
                fail(kernel, shape, "float " + i + ": java " + r[i] + ", candidate " + c[i]);
                return;
            }
        }
    }

    /** Elementwise sizes: the edges and a few larger ones (vector tails at every remainder). */
    private static int[] sizes() {
        int[] s = new int[EDGES.length + 4];
        System.arraycopy(EDGES, 0, s, 0, EDGES.length);
        s[EDGES.length] = 255;
        s[EDGES.length + 1] = 256;
        s[EDGES.length + 2] = 257;
        s[EDGES.length + 3] = 1031;
        return s;
    }

    private void fail(String kernel, String shape, String what) {
        failures.add(kernel + " " + shape + ": " + what);
    }

    private static String line(String kernel, int shapes, double worst) {
        return String.format(Locale.ROOT, "%-20s %5d shapes  worst error %.2f of tolerance", kernel, shapes, worst);
    }
}
