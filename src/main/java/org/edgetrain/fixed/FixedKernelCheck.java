package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgetrain.util.Rng;

/**
 * Checks fixed-point kernels against the Java reference, bit for bit: every product on the edge shapes (1, 3, 4, 5, 7,
 * 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129 in each dimension, the other two from {5, 17}), with small values and with
 * full-range values that saturate, over shifts from left shifts to beyond 62. The whole arena (outputs and everything
 * around them) and both statistics must be identical. Used by the tests and by {@code edgetrain selftest}.
 */
public final class FixedKernelCheck {
    static final int[] EDGES = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129};
    static final int[] SHIFTS = {-3, 0, 1, 7, 13, 15, 20, 30, 62, 70};
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
                    for (boolean wide : new boolean[] {false, true}) check(s[0], s[1], s[2], wide, failures);
                }
            }
        }
        return failures;
    }

    private void check(int batch, int in, int out, boolean wide, List<String> failures) {
        Rng rng = new Rng(31L * batch + 7L * in + out + (wide ? 1000 : 0));
        int shift = SHIFTS[rng.nextInt(SHIFTS.length)];
        int biasShift = rng.nextInt(20) - 4;
        // layout: x, w, b, dy, then one output region, each 3 values apart (unaligned on purpose)
        int x = 3, w = x + batch * in + 3, b = w + out * in + 3, dy = b + out + 3, o = dy + batch * out + 3;
        int n = o + Math.max(batch * Math.max(in, out), out * in) + 5;
        short[] base = new short[n];
        for (int i = 0; i < n; i++) base[i] = (short) (wide ? rng.nextInt() : rng.nextInt(4096) - 2048);
        String shape = String.format("batch %d, in %d, out %d, shift %d, %s values", batch, in, out, shift, wide ? "full-range" : "small");
        compare("dense forward", shape, base, failures, (k, a, st) -> k.denseForward(a, x, w, batch % 2 == 0 ? -1 : b, biasShift, o,
                batch, in, out, shift, st));
        compare("dense input grad", shape, base, failures, (k, a, st) -> k.denseInputGrad(a, dy, w, o, batch, in, out, shift, st));
        compare("dense weight grad", shape, base, failures, (k, a, st) -> k.denseWeightGrad(a, dy, x, o, batch, in, out, shift, st));
        compare("bias grad", shape, base, failures, (k, a, st) -> k.biasGrad(a, dy, o, batch, out, shift, st));
    }

    private interface Call {
        void run(FixedKernels k, short[] a, long[] stats);
    }

    private void compare(String kernel, String shape, short[] base, List<String> failures, Call call) {
        short[] ra = base.clone(), ca = base.clone();
        long[] rs = {5, 2}, cs = {5, 2};
        call.run(reference, ra, rs);
        call.run(candidate, ca, cs);
        values += base.length;
        if (!Arrays.equals(ra, ca)) {
            int i = Arrays.mismatch(ra, ca);
            failures.add(kernel + " [" + shape + "]: value " + i + ": " + candidate.name() + " " + ca[i] + ", " + reference.name() + " " + ra[i]);
        } else if (!Arrays.equals(rs, cs)) {
            failures.add(kernel + " [" + shape + "]: statistics " + Arrays.toString(cs) + ", reference " + Arrays.toString(rs));
        }
    }
}
