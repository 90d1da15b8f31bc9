package org.edgetrain.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every {@link JavaKernels} method against a naive double implementation, over edge shapes below, at and above the
 * blocking factors (2 rows and 4 outputs in dense forward, 4 outputs in input grad, 4 rows in weight grad), with
 * operands at random offsets inside one array. Everything outside a kernel's outputs must be left bit for bit; an
 * output documented as overwritten is pre-filled with NaN, one documented as accumulated with random values.
 * Float tolerance scales with the reduction length: {@code 2·(k+1)·2⁻²⁴·Σ|terms|}.
 */
class JavaKernelsTest {
    static final int[] DIMS = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33};
    static final int MAX_BATCH = 5;
    static final double U = 0x1p-24; // unit round-off of float
    final Kernels k = new JavaKernels();

    /** One array holding several operands at random offsets with random gaps, filled with random values. */
    static final class Block {
        final float[] a;
        final int[] at;
        final float[] before;

        Block(Random r, int... sizes) {
            at = new int[sizes.length];
            int next = r.nextInt(7);
            for (int i = 0; i < sizes.length; i++) {
                at[i] = next;
                next += sizes[i] + r.nextInt(6);
            }
            a = new float[next + r.nextInt(5)];
            for (int i = 0; i < a.length; i++) a[i] = (float) (2 * r.nextDouble() - 1);
            before = a.clone();
        }

        Block fill(int operand, int n, float v) {
            for (int i = 0; i < n; i++) a[at[operand] + i] = v;
            return snapshot();
        }

        Block scale(int operand, int n, double s) {
            for (int i = 0; i < n; i++) a[at[operand] + i] *= (float) s;
            return snapshot();
        }

        Block snapshot() {
            System.arraycopy(a, 0, before, 0, a.length);
            return this;
        }

        double in(int operand, int i) {
            return before[at[operand] + i];
        }

        float out(int operand, int i) {
            return a[at[operand] + i];
        }

        /** Nothing but {@code [at[operand], at[operand] + n)} of the given operands changed. */
        void assertOnlyWrote(String what, int[] operands, int[] lengths) {
            outer:
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < operands.length; j++) {
                    if (i >= at[operands[j]] && i < at[operands[j]] + lengths[j]) continue outer;
                }
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(before[i])) {
                    fail(what + ": wrote index " + i + " outside its outputs (" + before[i] + " → " + a[i] + ")");
                }
            }
        }
    }

    static void assertNear(String what, double expected, float got, double tol) {
        if (!(Math.abs(got - expected) <= tol)) {
            fail(String.format(Locale.ROOT, "%s = %.9g, reference %.9g (error %.3g > %.3g)", what, got, expected,
                    Math.abs(got - expected), tol));
        }
    }

    // ---- dense ----

    @Test
    void denseForwardMatchesNaiveDoubleAndOverwritesY() {
        Random r = new Random(1);
        for (boolean bias : new boolean[] {true, false}) {
            for (int batch = 1; batch <= MAX_BATCH; batch++) {
                for (int in : DIMS) {
                    for (int out : DIMS) {
                        String shape = String.format(Locale.ROOT, "denseForward bias=%s batch=%d in=%d out=%d", bias, batch, in, out);
                        Block m = new Block(r, batch * in, out * in, out, batch * out).fill(3, batch * out, Float.NaN);
                        k.denseForward(m.a, m.at[0], m.at[1], bias ? m.at[2] : -1, m.at[3], batch, in, out);
                        for (int s = 0; s < batch; s++) {
                            for (int o = 0; o < out; o++) {
                                double ref = bias ? m.in(2, o) : 0, mag = Math.abs(ref);
                                for (int i = 0; i < in; i++) {
                                    double t = m.in(0, s * in + i) * m.in(1, o * in + i);
                                    ref += t;
                                    mag += Math.abs(t);
                                }
                                assertNear(shape + " y[" + s + "," + o + "]", ref, m.out(3, s * out + o), 2 * (in + 1) * U * mag);
                            }
                        }
                        m.assertOnlyWrote(shape, new int[] {3}, new int[] {batch * out});
                    }
                }
            }
        }
    }

    @Test
    void denseInputGradMatchesNaiveDoubleAndOverwritesDx() {
        Random r = new Random(2);
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            for (int in : DIMS) {
                for (int out : DIMS) {
                    String shape = String.format(Locale.ROOT, "denseInputGrad batch=%d in=%d out=%d", batch, in, out);
                    Block m = new Block(r, batch * out, out * in, batch * in).fill(2, batch * in, Float.NaN);
                    k.denseInputGrad(m.a, m.at[0], m.at[1], m.at[2], batch, in, out);
                    for (int s = 0; s < batch; s++) {
                        for (int i = 0; i < in; i++) {
                            double ref = 0, mag = 0;
                            for (int o = 0; o < out; o++) {
                                double t = m.in(0, s * out + o) * m.in(1, o * in + i);
                                ref += t;
                                mag += Math.abs(t);
                            }
                            assertNear(shape + " dx[" + s + "," + i + "]", ref, m.out(2, s * in + i), 2 * (out + 1) * U * mag);
                        }
                    }
                    m.assertOnlyWrote(shape, new int[] {2}, new int[] {batch * in});
                }
            }
        }
    }

    @Test
    void denseWeightGradMatchesNaiveDoubleAndAccumulatesIntoDw() {
        Random r = new Random(3);
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            for (int in : DIMS) {
                for (int out : DIMS) {
                    String shape = String.format(Locale.ROOT, "denseWeightGrad batch=%d in=%d out=%d", batch, in, out);
                    Block m = new Block(r, batch * out, batch * in, out * in); // dW starts random: it must accumulate
                    k.denseWeightGrad(m.a, m.at[0], m.at[1], m.at[2], batch, in, out, true);
                    for (int o = 0; o < out; o++) {
                        for (int i = 0; i < in; i++) {
                            double ref = m.in(2, o * in + i), mag = Math.abs(ref);
                            for (int s = 0; s < batch; s++) {
                                double t = m.in(0, s * out + o) * m.in(1, s * in + i);
                                ref += t;
                                mag += Math.abs(t);
                            }
                            assertNear(shape + " dW[" + o + "," + i + "]", ref, m.out(2, o * in + i), 2 * (batch + 1) * U * mag);
                        }
                    }
                    m.assertOnlyWrote(shape, new int[] {2}, new int[] {out * in});
                }
            }
        }
    }

    @Test
    void biasGradMatchesNaiveDoubleAndAccumulatesIntoDb() {
        Random r = new Random(4);
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            for (int out : DIMS) {
                String shape = String.format(Locale.ROOT, "biasGrad batch=%d out=%d", batch, out);
                Block m = new Block(r, batch * out, out);
                k.biasGrad(m.a, m.at[0], m.at[1], batch, out, true);
                for (int o = 0; o < out; o++) {
                    double ref = m.in(1, o), mag = Math.abs(ref);
                    for (int s = 0; s < batch; s++) {
                        ref += m.in(0, s * out + o);
                        mag += Math.abs(m.in(0, s * out + o));
                    }
                    assertNear(shape + " db[" + o + "]", ref, m.out(1, o), 2 * (batch + 1) * U * mag);
                }
                m.assertOnlyWrote(shape, new int[] {1}, new int[] {out});
            }
        }
    }

    @Test
    void accumulatingKernelsAddTheirResultTwiceWhenCalledTwice() {
        Random r = new Random(5);
        int batch = 3, in = 5, out = 7;
        Block m = new Block(r, batch * out, batch * in, out * in, out).fill(2, out * in, 0f).fill(3, out, 0f);
        k.denseWeightGrad(m.a, m.at[0], m.at[1], m.at[2], batch, in, out, true);
        k.biasGrad(m.a, m.at[0], m.at[3], batch, out, true);
        float[] once = m.a.clone();
        k.denseWeightGrad(m.a, m.at[0], m.at[1], m.at[2], batch, in, out, true);
        k.biasGrad(m.a, m.at[0], m.at[3], batch, out, true);
        for (int i = 0; i < out * in; i++) assertEquals(2 * once[m.at[2] + i], m.out(2, i), 1e-6f, "dW[" + i + "]");
        for (int o = 0; o < out; o++) assertEquals(2 * once[m.at[3] + o], m.out(3, o), 1e-6f, "db[" + o + "]");
    }

    // ---- elementwise ----

    /** Inputs with exact zeros of both signs and values far into saturation, besides random ones. */
    static Block elementwise(Random r, int n, int... more) {
        int[] sizes = new int[1 + more.length];
        sizes[0] = n;
        System.arraycopy(more, 0, sizes, 1, more.length);
        Block m = new Block(r, sizes);
        float[] special = {0f, -0f, 1000f, -1000f, 100f, -100f, 20f, -20f};
        for (int i = 0; i < n; i++) {
            m.a[m.at[0] + i] = i % 4 == 3 ? special[(i / 4) % special.length] : (float) (4 * r.nextGaussian());
        }
        return m.snapshot();
    }

    @Test
    void leakyReluForwardAndBackwardMatchNaiveDoubleForEverySlope() {
        Random r = new Random(6);
        for (float slope : new float[] {0f, 0.01f, 0.3f}) {
            for (int n : DIMS) {
                String shape = "leakyRelu slope=" + slope + " n=" + n;
                Block m = elementwise(r, n, n, n, n).fill(1, n, Float.NaN).fill(3, n, Float.NaN);
                k.leakyReluForward(m.a, m.at[0], m.at[1], n, slope);
                k.leakyReluBackward(m.a, m.at[0], m.at[2], m.at[3], n, slope);
                for (int i = 0; i < n; i++) {
                    double x = m.in(0, i);
                    double y = x > 0 ? x : slope * x, dx = x > 0 ? m.in(2, i) : slope * m.in(2, i);
                    assertNear(shape + " forward y[" + i + "] at x=" + x, y, m.out(1, i), U * Math.abs(y));
                    assertNear(shape + " backward dx[" + i + "] at x=" + x, dx, m.out(3, i), U * Math.abs(dx));
                }
                m.assertOnlyWrote(shape, new int[] {1, 3}, new int[] {n, n});
            }
        }
    }

    @Test
    void sigmoidForwardAndBackwardMatchNaiveDoubleAndStayFiniteWhenSaturated() {
        Random r = new Random(7);
        for (int n : DIMS) {
            String shape = "sigmoid n=" + n;
            Block m = elementwise(r, n, n, n, n).fill(1, n, Float.NaN).fill(3, n, Float.NaN);
            k.sigmoidForward(m.a, m.at[0], m.at[1], n);
            m.snapshot(); // backward reads the float outputs
            k.sigmoidBackward(m.a, m.at[1], m.at[2], m.at[3], n);
            for (int i = 0; i < n; i++) {
                double x = m.in(0, i), y = 1 / (1 + Math.exp(-x));
                assertNear(shape + " forward y[" + i + "] at x=" + x, y, m.out(1, i), U * y + Float.MIN_VALUE); // subnormal at −100
                double yf = m.in(1, i), dx = m.in(2, i) * yf * (1 - yf);
                assertNear(shape + " backward dx[" + i + "]", dx, m.out(3, i), 4 * U * Math.abs(dx) + 1e-45);
                assertTrue(Float.isFinite(m.out(3, i)), shape + " dx not finite");
            }
            m.assertOnlyWrote(shape, new int[] {3}, new int[] {n});
        }
    }

    @Test
    void tanhForwardAndBackwardMatchNaiveDouble() {
        Random r = new Random(8);
        for (int n : DIMS) {
            String shape = "tanh n=" + n;
            Block m = elementwise(r, n, n, n, n).fill(1, n, Float.NaN).fill(3, n, Float.NaN);
            k.tanhForward(m.a, m.at[0], m.at[1], n);
            m.snapshot();
            k.tanhBackward(m.a, m.at[1], m.at[2], m.at[3], n);
            for (int i = 0; i < n; i++) {
                double x = m.in(0, i), y = Math.tanh(x);
                assertNear(shape + " forward y[" + i + "] at x=" + x, y, m.out(1, i), U * Math.abs(y));
                double yf = m.in(1, i), dx = m.in(2, i) * (1 - yf * yf);
                assertNear(shape + " backward dx[" + i + "]", dx, m.out(3, i), 4 * U * (Math.abs(m.in(2, i)) * (1 + yf * yf)));
            }
            m.assertOnlyWrote(shape, new int[] {3}, new int[] {n});
        }
    }

    // ---- softmax ----

    /** Logits of scale 5, one row shifted by +1000 and one by −1000 (stability). */
    static Block logits(Random r, int batch, int n, int... more) {
        int[] sizes = new int[1 + more.length];
        sizes[0] = batch * n;
        System.arraycopy(more, 0, sizes, 1, more.length);
        Block m = new Block(r, sizes);
        for (int s = 0; s < batch; s++) {
            float shift = s == 1 ? 1000f : s == 3 ? -1000f : 0f;
            for (int j = 0; j < n; j++) m.a[m.at[0] + s * n + j] = shift + (float) (5 * r.nextGaussian());
        }
        return m.snapshot();
    }

    static double[] softmaxRow(Block m, int operand, int row, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, m.in(operand, row * n + j));
        double[] p = new double[n];
        for (int j = 0; j < n; j++) sum += p[j] = Math.exp(m.in(operand, row * n + j) - max);
        for (int j = 0; j < n; j++) p[j] /= sum;
        return p;
    }

    @Test
    void softmaxForwardMatchesNaiveDoubleRowByRowEvenForHugeLogits() {
        Random r = new Random(9);
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            for (int n : DIMS) {
                String shape = String.format(Locale.ROOT, "softmaxForward batch=%d n=%d", batch, n);
                Block m = logits(r, batch, n, batch * n).fill(1, batch * n, Float.NaN);
                k.softmaxForward(m.a, m.at[0], m.at[1], batch, n);
                for (int s = 0; s < batch; s++) {
                    double[] p = softmaxRow(m, 0, s, n);
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) max = Math.max(max, m.in(0, s * n + j));
                    for (int j = 0; j < n; j++) {
                        // float x − max is rounded before exp: a relative error of |x − max|·u on top of the sum's
                        double shift = Math.abs(m.in(0, s * n + j) - max);
                        assertNear(shape + " y[" + s + "," + j + "]", p[j], m.out(1, s * n + j),
                                (2 * (n + 4) + shift) * U * p[j] + Float.MIN_VALUE);
                    }
                }
                m.assertOnlyWrote(shape, new int[] {1}, new int[] {batch * n});
            }
        }
    }

    @Test
    void softmaxBackwardMatchesNaiveDoubleJacobianProduct() {
        Random r = new Random(10);
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            for (int n : DIMS) {
                String shape = String.format(Locale.ROOT, "softmaxBackward batch=%d n=%d", batch, n);
                Block m = new Block(r, batch * n, batch * n, batch * n);
                for (int s = 0; s < batch; s++) { // y: a probability row
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += m.a[m.at[0] + s * n + j] = (float) r.nextDouble();
                    for (int j = 0; j < n; j++) m.a[m.at[0] + s * n + j] /= (float) sum;
                }
                m.fill(2, batch * n, Float.NaN);
                k.softmaxBackward(m.a, m.at[0], m.at[1], m.at[2], batch, n);
                for (int s = 0; s < batch; s++) {
                    double dot = 0, mag = 0;
                    for (int j = 0; j < n; j++) {
                        dot += m.in(1, s * n + j) * m.in(0, s * n + j);
                        mag += Math.abs(m.in(1, s * n + j) * m.in(0, s * n + j));
                    }
                    for (int j = 0; j < n; j++) {
                        double y = m.in(0, s * n + j), ref = y * (m.in(1, s * n + j) - dot);
                        double tol = 2 * (n + 3) * U * y * (Math.abs(m.in(1, s * n + j)) + mag);
                        assertNear(shape + " dx[" + s + "," + j + "]", ref, m.out(2, s * n + j), tol);
                    }
                }
                m.assertOnlyWrote(shape, new int[] {2}, new int[] {batch * n});
            }
        }
    }

    @Test
    void softmaxCrossEntropyMatchesNaiveDoubleLossAndGradient() {
        Random r = new Random(11);
        for (int batch = 1; batch <= MAX_BATCH; batch++) {
            for (int n : DIMS) {
                String shape = String.format(Locale.ROOT, "softmaxCrossEntropy batch=%d n=%d", batch, n);
                Block m = logits(r, batch, n, batch, batch * n);
                for (int s = 0; s < batch; s++) m.a[m.at[1] + s] = r.nextInt(n);
                m.fill(2, batch * n, Float.NaN);
                float loss = k.softmaxCrossEntropy(m.a, m.at[0], m.at[1], m.at[2], batch, n);
                double ref = 0, mag = 0;
                for (int s = 0; s < batch; s++) {
                    double[] p = softmaxRow(m, 0, s, n);
                    int t = (int) m.in(1, s);
                    ref -= Math.log(p[t]);
                    mag += Math.abs(Math.log(p[t])) + 1;
                    for (int j = 0; j < n; j++) {
                        double g = (p[j] - (j == t ? 1 : 0)) / batch;
                        assertNear(shape + " dz[" + s + "," + j + "]", g, m.out(2, s * n + j), 2 * (n + 4) * U / batch);
                    }
                }
                assertNear(shape + " loss", ref / batch, loss, 2 * (n + 4) * U * mag / batch);
                m.assertOnlyWrote(shape, new int[] {2}, new int[] {batch * n});
            }
        }
    }

    // ---- optimizer steps (one step from the same float state, against the documented rule in double) ----

    @Test
    void sgdAndMomentumStepsMatchNaiveDouble() {
        Random r = new Random(12);
        for (int n : DIMS) {
            for (float wd : new float[] {0f, 0.1f}) {
                String shape = "sgdStep wd=" + wd + " n=" + n;
                Block m = new Block(r, n, n);
                k.sgdStep(m.a, m.at[0], m.at[1], n, 0.05f, wd);
                for (int i = 0; i < n; i++) {
                    double p = m.in(0, i), ref = p - 0.05 * (m.in(1, i) + (double) wd * p);
                    assertNear(shape + " p[" + i + "]", ref, m.out(0, i), 4 * U * (Math.abs(p) + Math.abs(ref)));
                }
                m.assertOnlyWrote(shape, new int[] {0}, new int[] {n});
                for (boolean nesterov : new boolean[] {false, true}) {
                    shape = "momentumStep nesterov=" + nesterov + " wd=" + wd + " n=" + n;
                    m = new Block(r, n, n, n);
                    float lr = 0.05f, mu = 0.9f;
                    k.momentumStep(m.a, m.at[0], m.at[1], m.at[2], n, lr, mu, wd, nesterov);
                    for (int i = 0; i < n; i++) {
                        double p = m.in(0, i), g = m.in(1, i) + (double) wd * p, v = (double) mu * m.in(2, i) + g;
                        double ref = p - (double) lr * (nesterov ? g + mu * v : v);
                        assertNear(shape + " v[" + i + "]", v, m.out(2, i), 8 * U * (Math.abs(v) + 1));
                        assertNear(shape + " p[" + i + "]", ref, m.out(0, i), 8 * U * (Math.abs(p) + 1));
                    }
                    m.assertOnlyWrote(shape, new int[] {0, 2}, new int[] {n, n});
                }
            }
        }
    }

    @Test
    void adamStepMatchesNaiveDoubleCoupledAndDecoupled() {
        Random r = new Random(13);
        for (int n : DIMS) {
            for (float wd : new float[] {0f, 0.1f}) {
                for (boolean decoupled : new boolean[] {false, true}) {
                    String shape = "adamStep decoupled=" + decoupled + " wd=" + wd + " n=" + n;
                    Block m = new Block(r, n, n, n, n);
                    for (int i = 0; i < n; i++) m.a[m.at[3] + i] = Math.abs(m.a[m.at[3] + i]) * 0.1f; // v ≥ 0
                    m.snapshot();
                    float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
                    float bc1 = (float) (1 - Math.pow(b1, 3)), bc2 = (float) (1 - Math.pow(b2, 3));
                    k.adamStep(m.a, m.at[0], m.at[1], m.at[2], m.at[3], n, lr, b1, b2, eps, wd, decoupled, bc1, bc2);
                    for (int i = 0; i < n; i++) {
                        double p = m.in(0, i), g = m.in(1, i) + (decoupled ? 0 : (double) wd * p);
                        double mi = b1 * m.in(2, i) + (1 - (double) b1) * g;
                        double vi = b2 * m.in(3, i) + (1 - (double) b2) * g * g;
                        double shrink = decoupled ? 1 - (double) lr * wd : 1;
                        double ref = p * shrink - lr / (double) bc1 * mi / (Math.sqrt(vi) / Math.sqrt(bc2) + eps);
                        assertNear(shape + " m[" + i + "]", mi, m.out(2, i), 8 * U * (Math.abs(mi) + Math.abs(g)));
                        assertNear(shape + " v[" + i + "]", vi, m.out(3, i), 8 * U * (Math.abs(vi) + g * g));
                        assertNear(shape + " p[" + i + "]", ref, m.out(0, i), 8 * U * (Math.abs(p) + lr / bc1 * 10));
                    }
                    m.assertOnlyWrote(shape, new int[] {0, 2, 3}, new int[] {n, n, n});
                }
            }
        }
    }

    @Test
    void rmspropStepMatchesNaiveDouble() {
        Random r = new Random(14);
        for (int n : DIMS) {
            for (float wd : new float[] {0f, 0.1f}) {
                String shape = "rmspropStep wd=" + wd + " n=" + n;
                Block m = new Block(r, n, n, n);
                for (int i = 0; i < n; i++) m.a[m.at[2] + i] = Math.abs(m.a[m.at[2] + i]) * 0.1f;
                m.snapshot();
                float lr = 0.01f, alpha = 0.99f, eps = 1e-8f;
                k.rmspropStep(m.a, m.at[0], m.at[1], m.at[2], n, lr, alpha, eps, wd);
                for (int i = 0; i < n; i++) {
                    double p = m.in(0, i), g = m.in(1, i) + (double) wd * p;
                    double s = alpha * m.in(2, i) + (1 - (double) alpha) * g * g;
                    double ref = p - lr * g / (Math.sqrt(s) + eps);
                    assertNear(shape + " s[" + i + "]", s, m.out(2, i), 8 * U * (s + g * g));
                    assertNear(shape + " p[" + i + "]", ref, m.out(0, i), 8 * U * (Math.abs(p) + Math.abs(ref - p) * 10));
                }
                m.assertOnlyWrote(shape, new int[] {0, 2}, new int[] {n, n});
            }
        }
    }

    // ---- reductions and clipping ----

    @Test
    void sumOfSquaresAccumulatesInDouble() {
        Random r = new Random(15);
        for (int n : new int[] {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 1001}) {
            Block m = new Block(r, n).scale(0, n, 1e3);
            double ref = 0;
            for (int i = 0; i < n; i++) ref += m.in(0, i) * m.in(0, i);
            assertEquals(ref, k.sumOfSquares(m.a, m.at[0], n), 1e-13 * ref, "sumOfSquares n=" + n);
            m.assertOnlyWrote("sumOfSquares n=" + n, new int[0], new int[0]);
        }
        // float squares would overflow at 1e20; double does not
        float[] big = {1e20f, -1e20f};
        assertEquals(2 * (double) big[0] * big[0], k.sumOfSquares(big, 0, 2), 1e27);
        assertTrue(big[0] * big[0] == Float.POSITIVE_INFINITY, "the float square does overflow");
    }

    @Test
    void scaleAndClampAreExactElementwise() {
        Random r = new Random(16);
        for (int n : DIMS) {
            Block m = new Block(r, n, n).scale(1, n, 5);
            k.scale(m.a, m.at[0], n, 0.37f);
            k.clamp(m.a, m.at[1], n, 2.5f);
            for (int i = 0; i < n; i++) {
                assertEquals((float) (m.in(0, i) * 0.37f), m.out(0, i), "scale n=" + n + " at " + i);
                assertEquals((float) Math.max(-2.5, Math.min(2.5, m.in(1, i))), m.out(1, i), "clamp n=" + n + " at " + i);
            }
            m.assertOnlyWrote("scale/clamp n=" + n, new int[] {0, 1}, new int[] {n, n});
        }
    }

    @Test
    void kernelNameIsJava() {
        assertEquals("java", k.name());
    }
}
