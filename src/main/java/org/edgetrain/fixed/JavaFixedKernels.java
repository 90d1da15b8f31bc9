package org.edgetrain.fixed;

/**
 * The reference fixed-point kernels: integer arithmetic only (exact 64-bit sums, {@link FixedKernels#roundShift},
 * saturation; updates in int32 with 16-bit fractions, see {@link FixedKernels#sgdStep}), so the same inputs give the
 * same bits on every JVM and board. Native kernels are checked against it.
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
        int rmask = stochastic ? 0xFFFF : 0, radd = stochastic ? 0 : HALF;
        long max = stats[0], sat = 0;
        for (int i = 0; i < n; i++) {
            int pv = a[p + i];
            int tg = a[g + i] * gm, tp = pv * pm; // int16 · 15-bit mantissa: exact in an int
            int rnd = (FixedKernels.randomBits(key, i) & rmask) | radd;
            int r = pv - (high(tg, gs) + high(tp, ps) + ((fraction(tg, gs) + fraction(tp, ps) + rnd) >> 16));
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
        if (vm != 0 && vs < 0 || gm != 0 && gs < 0 || pm != 0 && ps < 0 || lm != 0 && ls < 0) {
            momentumAnyShift(a, p, g, v, n, vm, vs, gm, gs, pm, ps, lm, ls, keyV, keyP, stochastic, statsV, statsP);
            return;
        }
        // every shift ≥ 0: whole part t >> hs (clamped), fraction ((t >> fr) << fl) & 0xFFFF, no branch per element
        int hv = hs(vm, vs), hg = hs(gm, gs), hp = hs(pm, ps), hl = hs(lm, ls);
        int rv = fr(vm, vs), rg = fr(gm, gs), rp = fr(pm, ps), rl = fr(lm, ls);
        int lv = fl(vm, vs), lg = fl(gm, gs), lp = fl(pm, ps), ll = fl(lm, ls);
        int key = keyV ^ keyP;
        int rmask = stochastic ? 0xFFFF : 0, radd = stochastic ? 0 : HALF;
        long maxV = statsV[0], satV = 0, maxP = statsP[0], satP = 0;
        for (int i = 0; i < n; i++) {
            int pv = a[p + i];
            int tv = a[v + i] * vm, tg = a[g + i] * gm, tp = pv * pm;
            int bits = FixedKernels.randomBits(key, i);
            int nv = clampHigh(tv >> hv) + clampHigh(tg >> hg) + clampHigh(tp >> hp)
                    + (((((tv >> rv) << lv) & 0xFFFF) + (((tg >> rg) << lg) & 0xFFFF) + (((tp >> rp) << lp) & 0xFFFF)
                    + ((bits & rmask) | radd)) >> 16);
            long m = Math.abs(nv);
            if (m > maxV) maxV = m;
            if (nv > Short.MAX_VALUE) { nv = Short.MAX_VALUE; satV++; } else if (nv < Short.MIN_VALUE) { nv = Short.MIN_VALUE; satV++; }
            a[v + i] = (short) nv;
            int tl = nv * lm;
            int r = pv - (clampHigh(tl >> hl) + (((((tl >> rl) << ll) & 0xFFFF) + (((bits >>> 16) & rmask) | radd)) >> 16));
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

    /** The same update for any shifts, term by term through {@link #high} and {@link #fraction}. */
    private static void momentumAnyShift(short[] a, int p, int g, int v, int n, int vm, int vs, int gm, int gs, int pm, int ps, int lm,
                                         int ls, int keyV, int keyP, boolean stochastic, long[] statsV, long[] statsP) {
        int key = keyV ^ keyP;
        int rmask = stochastic ? 0xFFFF : 0, radd = stochastic ? 0 : HALF;
        long maxV = statsV[0], satV = 0, maxP = statsP[0], satP = 0;
        for (int i = 0; i < n; i++) {
            int pv = a[p + i];
            int tv = a[v + i] * vm, tg = a[g + i] * gm, tp = pv * pm;
            int bits = FixedKernels.randomBits(key, i); // low half-word rounds the velocity, high half-word the weight
            int nv = high(tv, vs) + high(tg, gs) + high(tp, ps)
                    + ((fraction(tv, vs) + fraction(tg, gs) + fraction(tp, ps) + ((bits & rmask) | radd)) >> 16); // v = μ·v + g + wd·p
            long m = Math.abs(nv);
            if (m > maxV) maxV = m;
            if (nv > Short.MAX_VALUE) { nv = Short.MAX_VALUE; satV++; } else if (nv < Short.MIN_VALUE) { nv = Short.MIN_VALUE; satV++; }
            a[v + i] = (short) nv;
            int tl = nv * lm;
            int r = pv - (high(tl, ls) + ((fraction(tl, ls) + (((bits >>> 16) & rmask) | radd)) >> 16)); // p −= lr·v
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

    /** For a term with shift ≥ 0 (any shift when its mantissa is 0, whose products are all 0): the whole part's shift. */
    private static int hs(int m, int s) {
        return m == 0 ? 0 : Math.min(s, 31);
    }

    /** The fraction's right shift: bits [s − 16, s) of t are the 16 fraction bits. */
    private static int fr(int m, int s) {
        return m == 0 || s < 16 ? 0 : Math.min(s - 16, 31);
    }

    /** The fraction's left shift, for s < 16: the low s bits of t, moved to the top of 16. */
    private static int fl(int m, int s) {
        return m == 0 || s >= 16 ? 0 : 16 - s;
    }

    private static int clampHigh(int h) {
        return Math.max(-HIGH_LIMIT, Math.min(HIGH_LIMIT, h));
    }

    /** Round to nearest in the 16-bit fraction: one half. */
    static final int HALF = 1 << 15;
    /** Bound on a term's whole part: far past int16, so only values that saturate anyway are clipped, and sums fit an int. */
    static final int HIGH_LIMIT = 1 << 24;

    /**
     * The whole part of a term {@code t·2^-s} ({@code t} an int16 times a mantissa), floored, in units of the result's last
     * bit and clamped to ±2^24. With {@link #fraction}: {@code t·2^-s = high + fraction·2^-16 − (the bits below 2^-16)}.
     */
    static int high(int t, int s) {
        if (s >= 0) return Math.max(-HIGH_LIMIT, Math.min(HIGH_LIMIT, t >> Math.min(s, 31)));
        return (int) Math.max(-HIGH_LIMIT, Math.min(HIGH_LIMIT, (long) t << Math.min(-s, 30)));
    }

    /** The next 16 bits of {@code t·2^-s} below the last bit (floored), in [0, 2^16). */
    static int fraction(int t, int s) {
        if (s >= 16) return (t >> Math.min(s - 16, 31)) & 0xFFFF;
        if (s >= 0) return (t << (16 - s)) & 0xFFFF;
        return 0;
    }
}
