/*
 * Fixed-point kernels with NEON intrinsics (suffix __neon), bit for bit equal to kernels_fixed_ref.c and to
 * org.edgetrain.fixed.JavaFixedKernels on every platform. On x86-64 the products go to kernels_fixed_avx2.c (vpmaddwd)
 * and the updates are the same plain loops, vectorized by the compiler for AVX2.
 *
 * Products: vmlal_s16 / vmlal_n_s16 (int16·int16 accumulated into int32 lanes), widened into int64 lanes (vpadalq_s32,
 * vaddw_s32) before an int32 could overflow. The kernel proves that bound from its operands: with P = max|a|·max|b|
 * an int32 lane takes INT32_MAX / P products exactly (et_q_int32_steps; at least 1, as P ≤ 2^30). Well-scaled tensors
 * (their maximum in (¼, ½] of the range, QFormat) give blocks of 8 to 32 products, so most widenings go. Exact sums
 * have no order, so every path gives the same bits: a saturating or wrapping int32 sum would not. Each output is then
 * narrowed once (et_q_narrow: rounding shift, saturation, counted), a scalar step per output, not per product.
 * Only instructions ARMv7 NEON also has are used (no vaddvq, no vabsq_s64), so the armhf build takes the same path.
 */
#include "edgetrain_kernels.h"
#include "kernels_fixed_internal.h"
#include "kernels_internal.h"

#include <stddef.h>

static inline int64_t sum_lanes(int64x2_t v) {
    return vgetq_lane_s64(v, 0) + vgetq_lane_s64(v, 1);
}

/* Σ a[i]·b[i] over n, exact: vmlal_s16 into int32 lanes for at most `steps` products per lane, then vpadalq_s32 into
 * int64 lanes. */
static inline int64_t dot_q16(const int16_t *a, const int16_t *b, int n, int64_t steps) {
    int64x2_t s0 = vdupq_n_s64(0), s1 = vdupq_n_s64(0);
    int32x4_t acc0 = vdupq_n_s32(0), acc1 = vdupq_n_s32(0), acc2 = vdupq_n_s32(0), acc3 = vdupq_n_s32(0);
    int64_t left = steps;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        int16x8_t a0 = vld1q_s16(a + i), b0 = vld1q_s16(b + i);
        int16x8_t a1 = vld1q_s16(a + i + 8), b1 = vld1q_s16(b + i + 8);
        acc0 = vmlal_s16(acc0, vget_low_s16(a0), vget_low_s16(b0));
        acc1 = vmlal_s16(acc1, vget_high_s16(a0), vget_high_s16(b0));
        acc2 = vmlal_s16(acc2, vget_low_s16(a1), vget_low_s16(b1));
        acc3 = vmlal_s16(acc3, vget_high_s16(a1), vget_high_s16(b1));
        if (--left == 0) {
            s0 = vpadalq_s32(vpadalq_s32(s0, acc0), acc1);
            s1 = vpadalq_s32(vpadalq_s32(s1, acc2), acc3);
            acc0 = acc1 = acc2 = acc3 = vdupq_n_s32(0);
            left = steps;
        }
    }
    s0 = vpadalq_s32(vpadalq_s32(s0, acc0), acc1);
    s1 = vpadalq_s32(vpadalq_s32(s1, acc2), acc3);
    int64_t s = sum_lanes(vaddq_s64(s0, s1));
    for (; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

void et_q16_dense_forward__neon(const int16_t *x, const int16_t *w, const int16_t *b, int bias_shift, int16_t *y, int batch,
                                int in, int out, int shift, int64_t *stats) {
#if ET_Q16_AVX2
    et_q16_dense_forward__avx2(x, w, b, bias_shift, y, batch, in, out, shift, stats);
    return;
#endif
    int64_t steps = et_q_int32_steps(et_q_max_abs(x, (size_t)batch * in), et_q_max_abs(w, (size_t)out * in), 1);
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) {
        const int16_t *xr = x + (size_t)r * in;
        for (int o = 0; o < out; o++) {
            int64_t acc = b ? et_q_round_shift(b[o], -bias_shift) : 0;
            acc += dot_q16(xr, w + (size_t)o * in, in, steps);
            y[(size_t)r * out + o] = et_q_narrow(acc, shift, &max, &sat);
        }
    }
    stats[0] = max;
    stats[1] += sat;
}

/*
 * dst[i] = narrow(Σ_k c[k·cs] · rows[k·rs + i]) for i < width: the axpy form of both gradient products, 8 columns at
 * a time: vmlal_n_s16 by the scalar coefficient into two int32x4 for at most `steps` rows, then vaddw_s32 into four
 * int64x2.
 */
static void axpy_rows_q16(const int16_t *rows, size_t rs, const int16_t *c, size_t cs, int count, int width, int16_t *dst,
                          int shift, int64_t steps, int64_t *max, int64_t *sat) {
    int i = 0;
    for (; i + 8 <= width; i += 8) {
        int64x2_t a0 = vdupq_n_s64(0), a1 = vdupq_n_s64(0), a2 = vdupq_n_s64(0), a3 = vdupq_n_s64(0);
        int32x4_t lo = vdupq_n_s32(0), hi = vdupq_n_s32(0);
        int64_t left = steps;
        for (int k = 0; k < count; k++) {
            int16_t ck = c[k * cs];
            if (ck == 0) continue;
            int16x8_t v = vld1q_s16(rows + k * rs + i);
            lo = vmlal_n_s16(lo, vget_low_s16(v), ck);
            hi = vmlal_n_s16(hi, vget_high_s16(v), ck);
            if (--left == 0) {
                a0 = vaddw_s32(a0, vget_low_s32(lo));
                a1 = vaddw_s32(a1, vget_high_s32(lo));
                a2 = vaddw_s32(a2, vget_low_s32(hi));
                a3 = vaddw_s32(a3, vget_high_s32(hi));
                lo = hi = vdupq_n_s32(0);
                left = steps;
            }
        }
        a0 = vaddw_s32(a0, vget_low_s32(lo));
        a1 = vaddw_s32(a1, vget_high_s32(lo));
        a2 = vaddw_s32(a2, vget_low_s32(hi));
        a3 = vaddw_s32(a3, vget_high_s32(hi));
        dst[i + 0] = et_q_narrow(vgetq_lane_s64(a0, 0), shift, max, sat);
        dst[i + 1] = et_q_narrow(vgetq_lane_s64(a0, 1), shift, max, sat);
        dst[i + 2] = et_q_narrow(vgetq_lane_s64(a1, 0), shift, max, sat);
        dst[i + 3] = et_q_narrow(vgetq_lane_s64(a1, 1), shift, max, sat);
        dst[i + 4] = et_q_narrow(vgetq_lane_s64(a2, 0), shift, max, sat);
        dst[i + 5] = et_q_narrow(vgetq_lane_s64(a2, 1), shift, max, sat);
        dst[i + 6] = et_q_narrow(vgetq_lane_s64(a3, 0), shift, max, sat);
        dst[i + 7] = et_q_narrow(vgetq_lane_s64(a3, 1), shift, max, sat);
    }
    for (; i < width; i++) {
        int64_t acc = 0;
        for (int k = 0; k < count; k++) acc += (int32_t)c[k * cs] * rows[k * rs + i];
        dst[i] = et_q_narrow(acc, shift, max, sat);
    }
}

void et_q16_dense_input_grad__neon(const int16_t *dy, const int16_t *w, int16_t *dx, int batch, int in, int out, int shift,
                                   int64_t *stats) {
#if ET_Q16_AVX2
    et_q16_dense_input_grad__avx2(dy, w, dx, batch, in, out, shift, stats);
    return;
#endif
    int64_t steps = et_q_int32_steps(et_q_max_abs(dy, (size_t)batch * out), et_q_max_abs(w, (size_t)out * in), 1);
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) { // dX[r] = Σ_o dY[r, o] · W[o]
        axpy_rows_q16(w, (size_t)in, dy + (size_t)r * out, 1, out, in, dx + (size_t)r * in, shift, steps, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_dense_weight_grad__neon(const int16_t *dy, const int16_t *x, int16_t *dw, int batch, int in, int out, int shift,
                                    int64_t *stats) {
#if ET_Q16_AVX2
    et_q16_dense_weight_grad__avx2(dy, x, dw, batch, in, out, shift, stats);
    return;
#endif
    int64_t steps = et_q_int32_steps(et_q_max_abs(dy, (size_t)batch * out), et_q_max_abs(x, (size_t)batch * in), 1);
    int64_t max = stats[0], sat = 0;
    for (int o = 0; o < out; o++) { // dW[o] = Σ_r dY[r, o] · X[r]
        axpy_rows_q16(x, (size_t)in, dy + o, (size_t)out, batch, in, dw + (size_t)o * in, shift, steps, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Elementwise kernels and the bias gradient: plain int32 loops the compiler vectorizes (NEON, AVX2), like the updates.
 * ---------------------------------------------------------------------------------------------------------------- */

static inline int32_t sat16_stats(int32_t v, int32_t *max, int32_t *sat) {
    int32_t a = v < 0 ? -v : v;
    *max = a > *max ? a : *max;
    *sat += (v > INT16_MAX) + (v < INT16_MIN);
    v = v < INT16_MAX ? v : INT16_MAX;
    return v > INT16_MIN ? v : INT16_MIN;
}

void et_q16_bias_grad__neon(const int16_t *dy, int16_t *db, int batch, int out, int shift, int64_t *stats) {
    if (batch > 65536) {  // an int32 column sum holds 65536 int16 values
        et_q16_bias_grad__ref(dy, db, batch, out, shift, stats);
        return;
    }
    int64_t max = stats[0], sat = 0;
    int32_t acc[256];
    for (int o0 = 0; o0 < out; o0 += 256) {
        int width = out - o0 < 256 ? out - o0 : 256;
        for (int j = 0; j < width; j++) acc[j] = 0;
        for (int r = 0; r < batch; r++) {
            const int16_t *row = dy + (size_t)r * out + o0;
            for (int j = 0; j < width; j++) acc[j] += row[j];
        }
        for (int j = 0; j < width; j++) db[o0 + j] = et_q_narrow(acc[j], shift, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

/* x > 0 ? g : (g·slope + 2^14) >> 15 over int32 lanes; |slope| ≤ 2^15 keeps g·slope + 2^14 inside an int32 */
static inline void leaky(const int16_t *x, const int16_t *g, int16_t *out, int n, int32_t slope, int64_t *stats) {
    int32_t max = 0, sat = 0;
    for (int i = 0; i < n; i++) {
        int32_t gv = g[i];
        int32_t v = x[i] > 0 ? gv : (gv * slope + (1 << 14)) >> 15;
        out[i] = (int16_t)sat16_stats(v, &max, &sat);
    }
    if (max > stats[0]) stats[0] = max;
    stats[1] += sat;
}

void et_q16_leaky_relu_forward__neon(const int16_t *x, int16_t *y, int n, int slope_q15, int64_t *stats) {
    if (slope_q15 > 32768 || slope_q15 < -32768) et_q16_leaky_relu_forward__ref(x, y, n, slope_q15, stats);
    else leaky(x, x, y, n, slope_q15, stats);
}

void et_q16_leaky_relu_backward__neon(const int16_t *x, const int16_t *dy, int16_t *dx, int n, int slope_q15, int64_t *stats) {
    if (slope_q15 > 32768 || slope_q15 < -32768) et_q16_leaky_relu_backward__ref(x, dy, dx, n, slope_q15, stats);
    else leaky(x, dy, dx, n, slope_q15, stats);
}

void et_q16_multiply__neon(const int16_t *x, const int16_t *m, int16_t *y, int n, int shift, int64_t *stats) {
    if (shift < 1 || shift > 31) {
        et_q16_multiply__ref(x, m, y, n, shift, stats);
        return;
    }
    int32_t max = 0, sat = 0;
    for (int i = 0; i < n; i++) {
        int32_t t = (int32_t)x[i] * m[i];  // ≤ 2^30: the rounding as (t >> s) + bit s−1, no add that could overflow
        int32_t v = (t >> shift) + ((t >> (shift - 1)) & 1);
        y[i] = (int16_t)sat16_stats(v, &max, &sat);
    }
    if (max > stats[0]) stats[0] = max;
    stats[1] += sat;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Updates: int32 only (kernels_fixed_internal.h), written as plain loops with every shift uniform over the call, so the
 * compiler vectorizes them the same way for NEON (4 lanes, aarch64 and armv7) and AVX2 (8 lanes): widening loads,
 * 32-bit multiplies, the fmix32 hash in uint32 lanes, shifts by one count, min/max for the clamps and saturation, and
 * the magnitude and saturation statistics as vector reductions. A term with a negative shift (a coefficient past
 * 2^15, never seen in training) takes the scalar element code.
 * ---------------------------------------------------------------------------------------------------------------- */

/* A term's three shifts: whole part t >> hs; 16 fraction bits ((t >> fr) << fl) & 0xFFFF. */
typedef struct {
    int hs, fr, fl;
} q_term_shifts;

static inline q_term_shifts term_shifts(int m, int s) {
    q_term_shifts k;
    if (m == 0) s = 0;  // t = 0: any shift gives 0
    k.hs = s < 31 ? s : 31;
    k.fr = s >= 16 ? (s - 16 < 31 ? s - 16 : 31) : 0;
    k.fl = s < 16 ? 16 - s : 0;
    return k;
}

static inline int32_t clamp_high(int32_t h) {
    h = h < ET_Q_HIGH_LIMIT ? h : ET_Q_HIGH_LIMIT;
    return h > -ET_Q_HIGH_LIMIT ? h : -ET_Q_HIGH_LIMIT;
}

static inline int32_t frac16(int32_t t, q_term_shifts k) {
    return (int32_t)(((uint32_t)(t >> k.fr) << k.fl) & 0xFFFFu);
}

static inline int32_t sat16(int32_t x) {
    x = x < INT16_MAX ? x : INT16_MAX;
    return x > INT16_MIN ? x : INT16_MIN;
}

void et_q16_sgd_step__neon(int16_t *p, const int16_t *g, int n, int gm, int gs, int pm, int ps, uint32_t key, int stochastic,
                           int64_t *stats) {
    if ((gm && gs < 0) || (pm && ps < 0)) {
        et_q16_sgd_step__ref(p, g, n, gm, gs, pm, ps, key, stochastic, stats);
        return;
    }
    const q_term_shifts kg = term_shifts(gm, gs), kp = term_shifts(pm, ps);
    const uint32_t rmask = stochastic ? 0xFFFFu : 0u, radd = stochastic ? 0u : ET_Q_HALF;
    int32_t max = 0, sat = 0;
    for (int i = 0; i < n; i++) {
        int32_t pv = p[i];
        int32_t tg = (int32_t)((uint32_t)g[i] * (uint32_t)gm), tp = (int32_t)((uint32_t)pv * (uint32_t)pm);
        int32_t r = (int32_t)((et_q_random_bits(key, (uint32_t)i) & rmask) | radd);
        int32_t u = pv - (clamp_high(tg >> kg.hs) + clamp_high(tp >> kp.hs) + ((frac16(tg, kg) + frac16(tp, kp) + r) >> 16));
        int32_t a = u < 0 ? -u : u;
        max = a > max ? a : max;
        sat += (u > INT16_MAX) + (u < INT16_MIN);
        p[i] = (int16_t)sat16(u);
    }
    if (max > stats[0]) stats[0] = max;
    stats[1] += sat;
}

/* The momentum loop; `decay` is a constant at each call below, so the compiler drops the weight-decay term when it is 0. */
static inline void momentum_loop(int16_t *p, const int16_t *g, int16_t *v, int n, int vm, int gm, int pm, int lm, q_term_shifts kv,
                                 q_term_shifts kg, q_term_shifts kp, q_term_shifts kl, uint32_t key, int stochastic, const int decay,
                                 int64_t *stats_v, int64_t *stats_p) {
    const uint32_t rmask = stochastic ? 0xFFFFu : 0u, radd = stochastic ? 0u : ET_Q_HALF;
    int32_t max_v = 0, sat_v = 0, max_p = 0, sat_p = 0;
    for (int i = 0; i < n; i++) {
        int32_t pv = p[i];
        int32_t tv = (int32_t)((uint32_t)v[i] * (uint32_t)vm), tg = (int32_t)((uint32_t)g[i] * (uint32_t)gm);
        uint32_t bits = et_q_random_bits(key, (uint32_t)i);
        int32_t rv = (int32_t)((bits & rmask) | radd), rp = (int32_t)(((bits >> 16) & rmask) | radd);
        int32_t whole = clamp_high(tv >> kv.hs) + clamp_high(tg >> kg.hs), frac = frac16(tv, kv) + frac16(tg, kg);
        if (decay) {
            int32_t tp = (int32_t)((uint32_t)pv * (uint32_t)pm);
            whole += clamp_high(tp >> kp.hs);
            frac += frac16(tp, kp);
        }
        int32_t u = whole + ((frac + rv) >> 16);  // v = μ·v + g + wd·p
        int32_t a = u < 0 ? -u : u;
        max_v = a > max_v ? a : max_v;
        sat_v += (u > INT16_MAX) + (u < INT16_MIN);
        int32_t nv = sat16(u);
        v[i] = (int16_t)nv;
        int32_t tl = (int32_t)((uint32_t)nv * (uint32_t)lm);
        int32_t w = pv - (clamp_high(tl >> kl.hs) + ((frac16(tl, kl) + rp) >> 16));  // p −= lr·v
        a = w < 0 ? -w : w;
        max_p = a > max_p ? a : max_p;
        sat_p += (w > INT16_MAX) + (w < INT16_MIN);
        p[i] = (int16_t)sat16(w);
    }
    if (max_v > stats_v[0]) stats_v[0] = max_v;
    stats_v[1] += sat_v;
    if (max_p > stats_p[0]) stats_p[0] = max_p;
    stats_p[1] += sat_p;
}

void et_q16_momentum_step__neon(int16_t *p, const int16_t *g, int16_t *v, int n, int vm, int vs, int gm, int gs, int pm, int ps,
                                int lm, int ls, uint32_t key_v, uint32_t key_p, int stochastic, int64_t *stats_v, int64_t *stats_p) {
    if ((vm && vs < 0) || (gm && gs < 0) || (pm && ps < 0) || (lm && ls < 0)) {
        et_q16_momentum_step__ref(p, g, v, n, vm, vs, gm, gs, pm, ps, lm, ls, key_v, key_p, stochastic, stats_v, stats_p);
        return;
    }
    const q_term_shifts kv = term_shifts(vm, vs), kg = term_shifts(gm, gs), kp = term_shifts(pm, ps), kl = term_shifts(lm, ls);
    if (pm) momentum_loop(p, g, v, n, vm, gm, pm, lm, kv, kg, kp, kl, key_v ^ key_p, stochastic, 1, stats_v, stats_p);
    else momentum_loop(p, g, v, n, vm, gm, pm, lm, kv, kg, kp, kl, key_v ^ key_p, stochastic, 0, stats_v, stats_p);
}
