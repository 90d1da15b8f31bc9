package org.edgetrain.fixed;

/**
 * The reference fixed-point kernels: integer arithmetic only (exact 64-bit sums, {@link FixedKernels#roundShift},
 * saturation), so the same inputs give the same bits on every JVM and board. Native kernels are checked against it.
 *
 * <p>Not thread-safe: the input-gradient product keeps one row of 64-bit partial sums, grown on first use.
 */
public final class JavaFixedKernels implements FixedKernels {
    private long[] row = new long[0];

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void denseForward(short[] a, int x, int w, int b, int biasShift, int y, int batch, int in, int out, int shift, long[] stats) {
        long max = stats[0], sat = 0;
        for (int r = 0; r < batch; r++) {
            int xr = x + r * in, yr = y + r * out;
            for (int o = 0; o < out; o++) {
                int wr = w + o * in;
                long acc = b < 0 ? 0 : roundShift(a[b + o], -biasShift); // b·2^biasShift in the accumulator's scale
                for (int i = 0; i < in; i++) acc += a[xr + i] * a[wr + i]; // int16·int16 fits an int32; the sum, a long
                long v = roundShift(acc, shift);
                long m = Math.abs(v);
                if (m > max) max = m;
                if (v > Short.MAX_VALUE) { v = Short.MAX_VALUE; sat++; } else if (v < Short.MIN_VALUE) { v = Short.MIN_VALUE; sat++; }
                a[yr + o] = (short) v;
            }
        }
        stats[0] = max;
        stats[1] += sat;
    }

    /** The bias enters the accumulator at {@code b · 2^biasShift}: exact for a left shift, rounded for a right one. */
    private static long roundShift(long v, int shift) {
        return FixedKernels.roundShift(v, shift);
    }

    @Override
    public void denseInputGrad(short[] a, int dy, int w, int dx, int batch, int in, int out, int shift, long[] stats) {
        if (row.length < in) row = new long[in];
        long[] acc = row;
        long max = stats[0], sat = 0;
        for (int r = 0; r < batch; r++) {
            java.util.Arrays.fill(acc, 0, in, 0L);
            int dyr = dy + r * out;
            for (int o = 0; o < out; o++) { // dL/dX[r] = Σ_o dY[r, o] · W[o]
                int g = a[dyr + o];
                if (g == 0) continue;
                int wr = w + o * in;
                for (int i = 0; i < in; i++) acc[i] += g * a[wr + i];
            }
            int dxr = dx + r * in;
            for (int i = 0; i < in; i++) {
                long v = roundShift(acc[i], shift);
                long m = Math.abs(v);
                if (m > max) max = m;
                if (v > Short.MAX_VALUE) { v = Short.MAX_VALUE; sat++; } else if (v < Short.MIN_VALUE) { v = Short.MIN_VALUE; sat++; }
                a[dxr + i] = (short) v;
            }
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void denseWeightGrad(short[] a, int dy, int x, int dw, int batch, int in, int out, int shift, long[] stats) {
        if (row.length < in) row = new long[in];
        long[] acc = row;
        long max = stats[0], sat = 0;
        for (int o = 0; o < out; o++) { // dL/dW[o] = Σ_r dY[r, o] · X[r], as rows of 64-bit sums
            java.util.Arrays.fill(acc, 0, in, 0L);
            for (int r = 0; r < batch; r++) {
                int g = a[dy + r * out + o];
                if (g == 0) continue;
                int xr = x + r * in;
                for (int i = 0; i < in; i++) acc[i] += g * a[xr + i];
            }
            int dwr = dw + o * in;
            for (int i = 0; i < in; i++) {
                long v = roundShift(acc[i], shift);
                long m = Math.abs(v);
                if (m > max) max = m;
                if (v > Short.MAX_VALUE) { v = Short.MAX_VALUE; sat++; } else if (v < Short.MIN_VALUE) { v = Short.MIN_VALUE; sat++; }
                a[dwr + i] = (short) v;
            }
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void biasGrad(short[] a, int dy, int db, int batch, int out, int shift, long[] stats) {
        long max = stats[0], sat = 0;
        for (int o = 0; o < out; o++) {
            long acc = 0;
            for (int r = 0; r < batch; r++) acc += a[dy + r * out + o];
            long v = roundShift(acc, shift);
            long m = Math.abs(v);
            if (m > max) max = m;
            if (v > Short.MAX_VALUE) { v = Short.MAX_VALUE; sat++; } else if (v < Short.MIN_VALUE) { v = Short.MIN_VALUE; sat++; }
            a[db + o] = (short) v;
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void leakyReluForward(short[] a, int x, int y, int n, int slopeQ15, long[] stats) {
        long max = stats[0], sat = 0;
        for (int i = 0; i < n; i++) {
            int v = a[x + i];
            long r = v > 0 ? v : roundShift((long) v * slopeQ15, 15);
            long m = Math.abs(r);
            if (m > max) max = m;
            if (r > Short.MAX_VALUE) { r = Short.MAX_VALUE; sat++; } else if (r < Short.MIN_VALUE) { r = Short.MIN_VALUE; sat++; }
            a[y + i] = (short) r;
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void leakyReluBackward(short[] a, int x, int dy, int dx, int n, int slopeQ15, long[] stats) {
        long max = stats[0], sat = 0;
        for (int i = 0; i < n; i++) {
            int g = a[dy + i];
            long r = a[x + i] > 0 ? g : roundShift((long) g * slopeQ15, 15); // dy/dx = 1 or the slope
            long m = Math.abs(r);
            if (m > max) max = m;
            if (r > Short.MAX_VALUE) { r = Short.MAX_VALUE; sat++; } else if (r < Short.MIN_VALUE) { r = Short.MIN_VALUE; sat++; }
            a[dx + i] = (short) r;
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void multiply(short[] a, int x, int mask, int y, int n, int shift, long[] stats) {
        long max = stats[0], sat = 0;
        for (int i = 0; i < n; i++) {
            long r = roundShift((long) a[x + i] * a[mask + i], shift);
            long m = Math.abs(r);
            if (m > max) max = m;
            if (r > Short.MAX_VALUE) { r = Short.MAX_VALUE; sat++; } else if (r < Short.MIN_VALUE) { r = Short.MIN_VALUE; sat++; }
            a[y + i] = (short) r;
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void sgdStep(short[] a, int p, int g, int n, int gm, int gs, int pm, int ps, int key, boolean stochastic, long[] stats) {
        int S = commonShift(gm, gs, pm, ps, 0, 0);
        int dg = leftShift(gm, gs, S), dp = leftShift(pm, ps, S);
        boolean fast = dg >= 0 && dp >= 0;
        long half = S == 0 ? 0 : 1L << (S - 1);
        int bitsShift = 64 - S;
        long bitsMask = S == 0 ? 0 : -1L;
        long max = stats[0], sat = 0;
        for (int i = 0; i < n; i++) {
            int pv = a[p + i];
            long sum = fast ? ((long) (a[g + i] * gm) << dg) + ((long) (pv * pm) << dp)
                    : term(a[g + i], gm, gs, S) + term(pv, pm, ps, S);
            long rnd = stochastic ? ((FixedKernels.randomBits(key, i) & 0xFFFFFFFFL) << 32 >>> bitsShift) & bitsMask : half;
            long r = pv - ((sum + rnd) >> S);
            long m = Math.abs(r);
            if (m > max) max = m;
            if (r > Short.MAX_VALUE) { r = Short.MAX_VALUE; sat++; } else if (r < Short.MIN_VALUE) { r = Short.MIN_VALUE; sat++; }
            a[p + i] = (short) r;
        }
        stats[0] = max;
        stats[1] += sat;
    }

    @Override
    public void momentumStep(short[] a, int p, int g, int v, int n, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls,
                             int keyV, int keyP, boolean stochastic, long[] statsV, long[] statsP) {
        int S = commonShift(vm, vs, gm, gs, pm, ps);
        int L = commonShift(lm, ls, 0, 0, 0, 0);
        int dv = leftShift(vm, vs, S), dg = leftShift(gm, gs, S), dp = leftShift(pm, ps, S), dl = leftShift(lm, ls, L);
        boolean fast = dv >= 0 && dg >= 0 && dp >= 0 && dl >= 0;
        long halfS = S == 0 ? 0 : 1L << (S - 1), halfL = L == 0 ? 0 : 1L << (L - 1);
        int bitsS = 64 - S, bitsL = 64 - L;
        long maskS = S == 0 ? 0 : -1L, maskL = L == 0 ? 0 : -1L;
        long maxV = statsV[0], satV = 0, maxP = statsP[0], satP = 0;
        for (int i = 0; i < n; i++) {
            int pv = a[p + i];
            long sum = fast ? ((long) (a[v + i] * vm) << dv) + ((long) (a[g + i] * gm) << dg) + ((long) (pv * pm) << dp)
                    : term(a[v + i], vm, vs, S) + term(a[g + i], gm, gs, S) + term(pv, pm, ps, S);
            long rv = stochastic ? ((FixedKernels.randomBits(keyV, i) & 0xFFFFFFFFL) << 32 >>> bitsS) & maskS : halfS;
            long nv = (sum + rv) >> S; // v = μ·v + g + wd·p
            long m = Math.abs(nv);
            if (m > maxV) maxV = m;
            if (nv > Short.MAX_VALUE) { nv = Short.MAX_VALUE; satV++; } else if (nv < Short.MIN_VALUE) { nv = Short.MIN_VALUE; satV++; }
            a[v + i] = (short) nv;
            long lr = fast ? (nv * lm) << dl : term(nv, lm, ls, L);
            long rp = stochastic ? ((FixedKernels.randomBits(keyP, i) & 0xFFFFFFFFL) << 32 >>> bitsL) & maskL : halfL;
            long r = pv - ((lr + rp) >> L); // p −= lr·v
            m = Math.abs(r);
            if (m > maxP) maxP = m;
            if (r > Short.MAX_VALUE) { r = Short.MAX_VALUE; satP++; } else if (r < Short.MIN_VALUE) { r = Short.MIN_VALUE; satP++; }
            a[p + i] = (short) r;
        }
        statsV[0] = maxV;
        statsV[1] += satV;
        statsP[0] = maxP;
        statsP[1] += satP;
    }

    /** {@code S − s} when a term is a plain left shift of at most 30 ({@link #term}'s common case; 0 for an absent term), else −1. */
    private static int leftShift(int m, int s, int S) {
        if (m == 0) return 0;
        int d = S - s;
        return d >= 0 && d <= 30 ? d : -1;
    }

    /**
     * The shift S all terms of an update are brought to before one rounding: the largest term shift, but at most 30
     * above the smallest (so every term stays under 2^61 and their sum fits a long), and not below 0. Terms with a
     * zero mantissa do not count.
     */
    static int commonShift(int m1, int s1, int m2, int s2, int m3, int s3) {
        int hi = Integer.MIN_VALUE, lo = Integer.MAX_VALUE;
        if (m1 != 0) { hi = Math.max(hi, s1); lo = Math.min(lo, s1); }
        if (m2 != 0) { hi = Math.max(hi, s2); lo = Math.min(lo, s2); }
        if (m3 != 0) { hi = Math.max(hi, s3); lo = Math.min(lo, s3); }
        if (hi == Integer.MIN_VALUE) return 0;
        return Math.max(0, Math.min(Math.min(hi, lo + 30), 62));
    }

    /** {@code q·m·2^-s} expressed in units of 2^-S: shifted left by S − s (at most 30) or right, flooring. */
    static long term(long q, int m, int s, int S) {
        if (m == 0) return 0;
        long t = q * m;
        int d = S - s;
        return d >= 0 ? t << Math.min(d, 30) : t >> Math.min(-d, 63);
    }

    /** What is added before the final right shift by S: S random bits (stochastic) or one half (nearest). */
    static long roundingBits(int key, int i, int S, boolean stochastic) {
        if (S == 0) return 0;
        if (!stochastic) return 1L << (S - 1);
        long u = FixedKernels.randomBits(key, i) & 0xFFFFFFFFL;
        return S <= 32 ? u >>> (32 - S) : u << (S - 32);
    }
}
