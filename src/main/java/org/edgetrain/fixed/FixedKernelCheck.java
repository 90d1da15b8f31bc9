package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgetrain.util.Rng;

/**
 * Checks fixed-point kernels against the Java reference, bit for bit: every product on the edge shapes (1, 3, 4, 5, 7,
 * 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129 in each dimension, the other two from {5, 17}), with small values and with
 * full-range values that saturate and half-range ones, over shifts from left shifts to beyond 62; the bias gradient,
 * leaky ReLU forward and backward (slopes from 0 past 1) and the elementwise product; SGD and momentum updates, and the
 * batch-1 gradients fused into momentum. The whole arena (outputs and everything
 * around them) and both statistics must be identical. Used by the tests and by {@code edgetrain selftest}.
 */
public final class FixedKernelCheck {
    static final int[] EDGES = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129};
    static final int[] SHIFTS = {-3, 0, 1, 7, 13, 15, 20, 30, 31, 32, 62, 70};
    /** Q15 slopes: ReLU, leaky 0.01, ½, 1, past 1 (the scalar path), negative. */
    static final int[] SLOPES = {0, 328, 16384, 32768, 40000, -16384};
    private final FixedKernels reference;
    private final FixedKernels candidate;
    private long values;

    public FixedKernelCheck(FixedKernels reference, FixedKernels candidate) {
        this.reference = reference;
        this.candidate = candidate;
    }

    /** Int16 values compared so far. */
    public long values() {
        return values;
    }

    /** Runs every case; returns one line per mismatch (empty: all bit-identical). */
    public List<String> run() {
        List<String> failures = new ArrayList<>();
        int[] third = {5, 17};
        for (int e : EDGES) {
            for (int t : third) {
                for (int[] s : new int[][] {{e, t, t}, {t, e, t}, {t, t, e}}) {
                    for (int range = 0; range < 3; range++) check(s[0], s[1], s[2], range, failures);
                }
            }
        }
        updates(failures);
        fused(failures);
        return failures;
    }

    /**
     * The batch-1 weight and bias gradients fused into momentum ({@link FixedKernels#denseGradMomentum}) on the edge
     * widths, with training coefficients (velocity and gradient on one grid: the gradient's coefficient exactly 1) and
     * random ones, small and full-range values (saturating gradients take the long way), stochastic and nearest.
     */
    private void fused(List<String> failures) {
        int[] widths = {1, 7, 8, 9, 16, 17, 64, 129};
        int c = 0;
        for (int in : widths) {
            for (int out : new int[] {1, 5, 17}) {
                for (int variant = 0; variant < 4; variant++, c++) {
                    Rng rng = new Rng(1231L * c + in);
                    boolean wide = variant == 3, training = variant < 2, stochastic = variant % 2 == 0;
                    int[] u = new int[FixedKernels.UPDATE_INTS];
                    for (int k = 0; k < 8; k += 2) {
                        u[k] = rng.nextInt(7) == 0 ? 0 : 16384 + rng.nextInt(16384);
                        u[k + 1] = rng.nextInt(40) - 4;
                    }
                    if (training) System.arraycopy(new int[] {29491, 15, 16384, 14 + c % 4, variant == 0 ? 26844 : 0, 42, 16777, 17 + c % 11},
                            0, u, 0, 8);
                    u[FixedKernels.KEY_V] = rng.nextInt();
                    u[FixedKernels.KEY_P] = rng.nextInt();
                    int shift = training ? 9 + rng.nextInt(8) : SHIFTS[rng.nextInt(SHIFTS.length)];
                    int dy = 3, x = dy + out + 3, dw = x + in + 3, p = dw + in * out + 3, v = p + in * out + 3, len = v + in * out + 5;
                    short[] base = new short[len];
                    for (int i = 0; i < len; i++) base[i] = (short) (wide ? rng.nextInt() : rng.nextInt(4096) - 2048);
                    String shape = String.format("in %d, out %d, shift %d, %s coefficients %s, %s, %s values", in, out, shift,
                            training ? "training" : "random", Arrays.toString(Arrays.copyOf(u, 8)), stochastic ? "stochastic" : "nearest",
                            wide ? "full-range" : "small");
                    long[] g0 = {3, 0}, g1 = {3, 0};
                    // dw is scratch: a native kernel writes it only on its long way, so it is blanked before comparing
                    compare("dense grad momentum", shape, base, failures, (k, a, st, st2) -> {
                        k.denseGradMomentum(a, dy, x, dw, p, v, in, out, shift, u, stochastic, k == reference ? g0 : g1, st, st2);
                        Arrays.fill(a, dw, dw + in * out, (short) 0);
                    });
                    compare("bias grad momentum", shape, base, failures, (k, a, st, st2) -> {
                        k.denseGradMomentum(a, dy, -1, dw, p, v, in, out, shift - 8, u, stochastic, k == reference ? g0 : g1, st, st2);
                        Arrays.fill(a, dw, dw + out, (short) 0);
                    });
                    if (!Arrays.equals(g0, g1)) failures.add("dense grad momentum [" + shape + "]: gradient statistics " + Arrays.toString(g1)
                            + ", reference " + Arrays.toString(g0));
                }
            }
        }
    }

    /** SGD and momentum over lengths 1..1000 with training-like and random coefficients, stochastic and nearest. */
    private void updates(List<String> failures) {
        int[] lengths = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129, 1000};
        for (int c = 0; c < lengths.length * 8; c++) {
            int n = lengths[c % lengths.length];
            boolean wide = c % 2 == 0, stochastic = (c / 2) % 2 == 0, training = (c / 4) % 2 == 0;
            Rng rng = new Rng(977L * c + n);
            int[] m = new int[4], s = new int[4];
            for (int k = 0; k < 4; k++) {
                m[k] = rng.nextInt(7) == 0 ? 0 : (16384 + rng.nextInt(16384)) * (rng.nextInt(5) == 0 ? -1 : 1);
                s[k] = rng.nextInt(70) - 12;
            }
            if (training) { // μ = 0.9, 2^k between velocity and gradient, a small decay, the learning rate
                m = new int[] {29491, 16384, 26844, 21475};
                s = new int[] {15, 14 + c % 5, 42, 25 + c % 9};
            }
            int p = 3, g = p + n + 3, v = g + n + 3, len = v + n + 5;
            short[] base = new short[len];
            for (int i = 0; i < len; i++) base[i] = (short) (wide ? rng.nextInt() : rng.nextInt(4096) - 2048);
            int keyV = rng.nextInt(), keyP = rng.nextInt();
            String shape = String.format("n %d, %s coefficients, %s, %s values", n, training ? "training" : "random",
                    stochastic ? "stochastic" : "nearest", wide ? "full-range" : "small");
            final int[] mm = m, ss = s;
            compare("sgd step", shape, base, failures, (k, a, st, st2) -> k.sgdStep(a, p, g, n, mm[1], ss[1], mm[2], ss[2], keyP, stochastic, st));
            compare("momentum step", shape, base, failures, (k, a, st, st2) -> k.momentumStep(a, p, g, v, n, mm[0], ss[0], mm[1], ss[1], mm[2],
                    ss[2], mm[3], ss[3], keyV, keyP, stochastic, st, st2));
        }
    }

    /** range 0: small values; 1: full range (saturation, −32768); 2: up to half the range (int32 blocks widen mid-row). */
    private void check(int batch, int in, int out, int range, List<String> failures) {
        Rng rng = new Rng(31L * batch + 7L * in + out + 1000L * range);
        int shift = SHIFTS[rng.nextInt(SHIFTS.length)];
        int biasShift = rng.nextInt(20) - 4;
        // layout: x, w, b, dy, then one output region, each 3 values apart (unaligned on purpose)
        int x = 3, w = x + batch * in + 3, b = w + out * in + 3, dy = b + out + 3, o = dy + batch * out + 3;
        int n = o + Math.max(batch * Math.max(in, out), out * in) + 5;
        short[] base = new short[n];
        for (int i = 0; i < n; i++) base[i] = (short) (range == 1 ? rng.nextInt() : range == 2 ? rng.nextInt(32768) - 16384 : rng.nextInt(4096) - 2048);
        String shape = String.format("batch %d, in %d, out %d, shift %d, %s values", batch, in, out, shift,
                range == 1 ? "full-range" : range == 2 ? "half-range" : "small");
        compare("dense forward", shape, base, failures, (k, a, st, st2) -> k.denseForward(a, x, w, batch % 2 == 0 ? -1 : b, biasShift, o,
                batch, in, out, shift, st));
        compare("dense input grad", shape, base, failures, (k, a, st, st2) -> k.denseInputGrad(a, dy, w, o, batch, in, out, shift, st));
        compare("dense weight grad", shape, base, failures, (k, a, st, st2) -> k.denseWeightGrad(a, dy, x, o, batch, in, out, shift, st));
        compare("bias grad", shape, base, failures, (k, a, st, st2) -> k.biasGrad(a, dy, o, batch, out, shift, st));
        int n1 = batch * Math.min(in, out), n2 = Math.min(batch * in, out * in);
        int slope = SLOPES[rng.nextInt(SLOPES.length)];
        String eshape = shape + ", slope " + slope;
        compare("leaky relu forward", eshape, base, failures, (k, a, st, st2) -> k.leakyReluForward(a, x, o, batch * in, slope, st));
        compare("leaky relu backward", eshape, base, failures, (k, a, st, st2) -> k.leakyReluBackward(a, x, dy, o, n1, slope, st));
        compare("multiply", shape, base, failures, (k, a, st, st2) -> k.multiply(a, x, w, o, n2, shift, st));
    }

    private interface Call {
        void run(FixedKernels k, short[] a, long[] stats, long[] stats2);
    }

    private void compare(String kernel, String shape, short[] base, List<String> failures, Call call) {
        short[] ra = base.clone(), ca = base.clone();
        long[] rs = {5, 2}, cs = {5, 2}, rs2 = {7, 1}, cs2 = {7, 1};
        call.run(reference, ra, rs, rs2);
        call.run(candidate, ca, cs, cs2);
        values += base.length;
        if (!Arrays.equals(ra, ca)) {
            int i = Arrays.mismatch(ra, ca);
            failures.add(kernel + " [" + shape + "]: value " + i + ": " + candidate.name() + " " + ca[i] + ", " + reference.name() + " " + ra[i]);
        } else if (!Arrays.equals(rs, cs) || !Arrays.equals(rs2, cs2)) {
            failures.add(kernel + " [" + shape + "]: statistics " + Arrays.toString(cs) + Arrays.toString(cs2) + ", reference "
                    + Arrays.toString(rs) + Arrays.toString(rs2));
        }
    }
}
