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

/* the short form of the update, below with the batch-1 fused kernel */
static int q_fast_terms(int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls, q_update_terms *k);
static void update_rows(const int16_t *x, const int16_t *src, const int fused, int shift, int16_t *p, int16_t *v, int rows, int in,
                        const q_update_terms *k, uint32_t key, int stochastic, int decay, int32_t *st);
static const int16_t ONE[1] = {1};
static void fold_update_stats(const int32_t *st, int64_t *stats_g, int64_t *stats_v, int64_t *stats_p);

void et_q16_momentum_step__neon(int16_t *p, const int16_t *g, int16_t *v, int n, int vm, int vs, int gm, int gs, int pm, int ps,
                                int lm, int ls, uint32_t key_v, uint32_t key_p, int stochastic, int64_t *stats_v, int64_t *stats_p) {
    if ((vm && vs < 0) || (gm && gs < 0) || (pm && ps < 0) || (lm && ls < 0)) {
        et_q16_momentum_step__ref(p, g, v, n, vm, vs, gm, gs, pm, ps, lm, ls, key_v, key_p, stochastic, stats_v, stats_p);
        return;
    }
#if ET_Q16_AVX2
    q_update_terms k;
    if (q_fast_terms(vm, vs, gm, gs, pm, ps, lm, ls, &k)) {  // the short form, 8 weights at a time (defined below)
        int32_t st[6] = {0, 0, 0, 0, 0, 0};
        update_rows(NULL, g, 0, 0, p, v, 1, n, &k, key_v ^ key_p, stochastic, pm != 0, st);
        fold_update_stats(st, NULL, stats_v, stats_p);
        return;
    }
#endif
    const q_term_shifts kv = term_shifts(vm, vs), kg = term_shifts(gm, gs), kp = term_shifts(pm, ps), kl = term_shifts(lm, ls);
    if (pm) momentum_loop(p, g, v, n, vm, gm, pm, lm, kv, kg, kp, kl, key_v ^ key_p, stochastic, 1, stats_v, stats_p);
    else momentum_loop(p, g, v, n, vm, gm, pm, lm, kv, kg, kp, kl, key_v ^ key_p, stochastic, 0, stats_v, stats_p);
}

/* ------------------------------------------------------------------------------------------------------------------
 * Batch 1: the weight gradient fused into the momentum update. At batch 1, dW = narrow(dy ⊗ x) is one product per
 * weight, so storing it and reading it back in a second pass costs more than computing it where the update needs it.
 *
 * The update's arithmetic is also shorter here, with the same bits. A term t·2^-s contributes its floored whole part h
 * and 16 fraction bits f (et_q_high, et_q_fraction), and h·2^16 + f = floor(t·2^(16−s)) =: a exactly (the clamp of h at
 * ±2^24 never acts when |a| < 2^31). So a term may move inside the final shift: Σh + ((Σf + r) >> 16) equals
 * h_g + ((a_v + a_p + f_g + r) >> 16), and a = (q·M) >> S with the mantissa pre-shifted, M = m·2^max(16−s, 0),
 * S = max(s−16, 0). The velocity (μ < 1), weight decay and learning-rate terms go inside while the bound of that sum over
 * every int16 operand fits an int32, which the coefficients prove before the loop (q_fast_terms); the gradient's term,
 * whose coefficient is often exactly 1, stays split (without the clamp, which cannot act for s ≥ 6). Otherwise the
 * call takes the long way (the two kernels one after the other, or the momentum loop above).
 * ---------------------------------------------------------------------------------------------------------------- */

/* A term (m, s) as (M, S) for a = (q·M) >> S; the bound of |a| over int16 q into *bound; 0 if s < 0 or M overflows. */
static inline int q_fast_term(int m, int s, int32_t *M, int *S, int64_t *bound) {
    if (m == 0) {
        *M = 0;
        *S = 0;
        return 1;
    }
    if (s < 0 || m < 0) return 0;
    int64_t mm = s <= 16 ? (int64_t)m << (16 - s) : m;
    if (mm > 65536) return 0;
    *M = (int32_t)mm;
    *S = s > 16 ? (s - 16 < 31 ? s - 16 : 31) : 0;
    *bound += ((int64_t)32768 * mm >> *S) + 1;
    return 1;
}

/* The update's terms in the short form, if it is exact for every int16 operand (else 0: the caller takes the long way). */
static int q_fast_terms(int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls, q_update_terms *k) {
    int64_t bound_v = 65536 + 65536, bound_p = 65536;  // the rounding bits' and the gradient fraction's share
    if (gm < 0 || gm > 32768 || (gm && gs < 6)) return 0;
    if (gm == 0) gs = 0;
    k->GM = gm;
    k->HS = gs < 31 ? gs : 31;
    k->FR = gs >= 16 ? (gs - 16 < 31 ? gs - 16 : 31) : 0;
    k->FL = gs < 16 ? 16 - gs : 0;
    return q_fast_term(vm, vs, &k->VM, &k->SV, &bound_v) && q_fast_term(pm, ps, &k->PM, &k->SP, &bound_v)
           && q_fast_term(lm, ls, &k->LM, &k->SL, &bound_p) && bound_v <= INT32_MAX && bound_p <= INT32_MAX;
}

/* The short-form update of n weights p, velocities v: gradient g[i], or (fused) narrow(d·x[i], shift) with shift in
 * [1, 31], never saturating (the caller's proof, and its statistics); hash index base + i. `decay` is a constant at each call, so the weight-decay term drops out when it is 0.
 * st = {max g, sat g, max v, sat v, max p, sat p}. */
static inline void short_update(const int16_t *src, int32_t d, const int fused, int shift, int16_t *p, int16_t *v, int n, uint32_t base,
                                const q_update_terms *k, uint32_t key, uint32_t rmask, uint32_t radd, const int decay, int32_t *st) {
    const int32_t VM = k->VM, GM = k->GM, PM = k->PM, LM = k->LM;
    const int SV = k->SV, SP = k->SP, SL = k->SL, HS = k->HS, FR = k->FR, FL = k->FL;
    int32_t max_v = st[2], sat_v = st[3], max_p = st[4], sat_p = st[5];
    for (int i = 0; i < n; i++) {
        int32_t g;
        if (fused) {  // narrow(d·x), which the caller proved in int16 range
            int32_t t = d * src[i];  // |t| ≤ 2^30
            g = (t >> shift) + ((t >> (shift - 1)) & 1);  // round half up
        } else {
            g = src[i];
        }
        int32_t pv = p[i];
        uint32_t bits = et_q_random_bits(key, base + (uint32_t)i);
        int32_t rv = (int32_t)((bits & rmask) | radd), rp = (int32_t)(((bits >> 16) & rmask) | radd);
        int32_t tg = g * GM;
        int32_t sum = ((v[i] * VM) >> SV) + (int32_t)(((uint32_t)(tg >> FR) << FL) & 0xFFFFu) + rv;
        if (decay) sum += (pv * PM) >> SP;
        int32_t u = (tg >> HS) + (sum >> 16);  // v = μ·v + g + wd·p
        int32_t a = u < 0 ? -u : u;
        max_v = a > max_v ? a : max_v;
        sat_v += (u > INT16_MAX) + (u < INT16_MIN);
        int32_t nv = sat16(u);
        v[i] = (int16_t)nv;
        int32_t w = pv - ((((nv * LM) >> SL) + rp) >> 16);  // p −= lr·v
        a = w < 0 ? -w : w;
        max_p = a > max_p ? a : max_p;
        sat_p += (w > INT16_MAX) + (w < INT16_MIN);
        p[i] = (int16_t)sat16(w);
    }
    st[2] = max_v, st[3] = sat_v, st[4] = max_p, st[5] = sat_p;
}

/* Rows of the short-form update: the AVX2 loop for what it can do, then the C loop. Fused: row o's gradient is
 * narrow(src[o]·x[i]), src being dy; plain: src is the gradient, one row (x unused). */
static void update_rows(const int16_t *x, const int16_t *src, const int fused, int shift, int16_t *p, int16_t *v, int rows, int in,
                        const q_update_terms *k, uint32_t key, int stochastic, int decay, int32_t *st) {
    int done = 0;
#if ET_Q16_AVX2
    done = fused ? et_q16_fused_rows__avx2(x, src, shift, p, v, rows, in, k, key, stochastic, decay, st)
                 : et_q16_momentum_row__avx2(src, p, v, in, k, key, stochastic, decay, st);
#endif
    if (done == in) return;
    const uint32_t rmask = stochastic ? 0xFFFFu : 0u, radd = stochastic ? 0u : ET_Q_HALF;
    for (int o = 0; o < rows; o++) {
        size_t at = (size_t)o * in + done;
        const int16_t *s = fused ? x + done : src + at;
        int32_t d = fused ? src[o] : 0;
        if (decay) short_update(s, d, fused, shift, p + at, v + at, in - done, (uint32_t)at, k, key, rmask, radd, 1, st);
        else short_update(s, d, fused, shift, p + at, v + at, in - done, (uint32_t)at, k, key, rmask, radd, 0, st);
    }
}

static void fold_update_stats(const int32_t *st, int64_t *stats_g, int64_t *stats_v, int64_t *stats_p) {
    if (stats_g) {
        if (st[0] > stats_g[0]) stats_g[0] = st[0];
        stats_g[1] += st[1];
    }
    if (st[2] > stats_v[0]) stats_v[0] = st[2];
    stats_v[1] += st[3];
    if (st[4] > stats_p[0]) stats_p[0] = st[4];
    stats_p[1] += st[5];
}

void et_q16_dense_grad_momentum__neon(const int16_t *dy, const int16_t *x, int16_t *dw, int16_t *p, int16_t *v, int in, int out,
                                      int shift, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls, uint32_t key_v,
                                      uint32_t key_p, int stochastic, int64_t *stats_g, int64_t *stats_v, int64_t *stats_p) {
    q_update_terms k;
    // The gradient's statistics from the operands' extremes: narrow is monotonic, so the largest and smallest gradients
    // are the narrowed largest and smallest products. The short form needs them in int16 range (no saturation).
    const int16_t *xs = x ? x : dy;
    int nx = x ? in : out;
    int32_t dlo = 1, dhi = 1, xlo = INT16_MAX, xhi = INT16_MIN;
    if (x) {
        dlo = INT16_MAX, dhi = INT16_MIN;
        for (int o = 0; o < out; o++) dlo = dy[o] < dlo ? dy[o] : dlo, dhi = dy[o] > dhi ? dy[o] : dhi;
    }
    for (int i = 0; i < nx; i++) xlo = xs[i] < xlo ? xs[i] : xlo, xhi = xs[i] > xhi ? xs[i] : xhi;
    int64_t thi = (int64_t)dhi * xhi, tlo = thi;
    int64_t c[3] = {(int64_t)dhi * xlo, (int64_t)dlo * xhi, (int64_t)dlo * xlo};
    for (int j = 0; j < 3; j++) thi = c[j] > thi ? c[j] : thi, tlo = c[j] < tlo ? c[j] : tlo;
    int64_t ghi = shift >= 1 ? et_q_round_shift(thi, shift) : 0, glo = shift >= 1 ? et_q_round_shift(tlo, shift) : 0;
    if (shift < 1 || shift > 31 || ghi > INT16_MAX || glo < INT16_MIN || !q_fast_terms(vm, vs, gm, gs, pm, ps, lm, ls, &k)) {
        if (x) et_q16_dense_weight_grad__neon(dy, x, dw, 1, in, out, shift, stats_g);
        else et_q16_bias_grad__neon(dy, dw, 1, out, shift, stats_g);
        et_q16_momentum_step__neon(p, dw, v, out * (x ? in : 1), vm, vs, gm, gs, pm, ps, lm, ls, key_v, key_p, stochastic, stats_v,
                                   stats_p);
        return;
    }
    int64_t gmax = ghi > -glo ? ghi : -glo;
    if (gmax > stats_g[0]) stats_g[0] = gmax;
    int32_t st[6] = {0, 0, 0, 0, 0, 0};
    if (x) update_rows(x, dy, 1, shift, p, v, out, in, &k, key_v ^ key_p, stochastic, pm != 0, st);
    else update_rows(dy, ONE, 1, shift, p, v, 1, out, &k, key_v ^ key_p, stochastic, pm != 0, st);  // a bias: x = dy, d = 1
    fold_update_stats(st, NULL, stats_v, stats_p);
}
