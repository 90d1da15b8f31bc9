/*
 * Fixed-point kernels with NEON intrinsics (suffix __neon; on x86-64 through SIMDe), bit for bit equal to
 * kernels_fixed_ref.c and to org.edgetrain.fixed.JavaFixedKernels on every platform.
 *
 * Products: vmull_s16 / vmull_n_s16 (int16·int16 → int32, exact), accumulated into int64 lanes with vpadalq_s32
 * (pairwise add-accumulate long) or vaddw_s32 (widening add). Why 64-bit and not vmlal_s16 into int32: one product is
 * up to 2^30, so an int32 accumulator can overflow after two of them at full scale; wrap-around is what fixed point
 * must not do, and a saturating int32 sum (vqdmlal) would depend on the order of summation, which differs between the
 * NEON lanes and the Java loop. An exact sum has no order, so every path gives the same bits. Each output is then
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

/* Σ a[i]·b[i] over n, exact. */
static inline int64_t dot_q16(const int16_t *a, const int16_t *b, int n) {
    int64x2_t acc0 = vdupq_n_s64(0), acc1 = vdupq_n_s64(0), acc2 = vdupq_n_s64(0), acc3 = vdupq_n_s64(0);
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        int16x8_t a0 = vld1q_s16(a + i), b0 = vld1q_s16(b + i);
        int16x8_t a1 = vld1q_s16(a + i + 8), b1 = vld1q_s16(b + i + 8);
        acc0 = vpadalq_s32(acc0, vmull_s16(vget_low_s16(a0), vget_low_s16(b0)));
        acc1 = vpadalq_s32(acc1, vmull_s16(vget_high_s16(a0), vget_high_s16(b0)));
        acc2 = vpadalq_s32(acc2, vmull_s16(vget_low_s16(a1), vget_low_s16(b1)));
        acc3 = vpadalq_s32(acc3, vmull_s16(vget_high_s16(a1), vget_high_s16(b1)));
    }
    for (; i + 4 <= n; i += 4) acc0 = vpadalq_s32(acc0, vmull_s16(vld1_s16(a + i), vld1_s16(b + i)));
    int64_t s = sum_lanes(vaddq_s64(vaddq_s64(acc0, acc1), vaddq_s64(acc2, acc3)));
    for (; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

void et_q16_dense_forward__neon(const int16_t *x, const int16_t *w, const int16_t *b, int bias_shift, int16_t *y, int batch,
                                int in, int out, int shift, int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) {
        const int16_t *xr = x + (size_t)r * in;
        for (int o = 0; o < out; o++) {
            int64_t acc = b ? et_q_round_shift(b[o], -bias_shift) : 0;
            acc += dot_q16(xr, w + (size_t)o * in, in);
            y[(size_t)r * out + o] = et_q_narrow(acc, shift, &max, &sat);
        }
    }
    stats[0] = max;
    stats[1] += sat;
}

/*
 * dst[i] = narrow(Σ_k c[k·cs] · rows[k·rs + i]) for i < width: the axpy form of both gradient products, 8 columns at
 * a time in four int64x2 accumulators (vmull_n_s16 by the scalar coefficient, then vaddw_s32 into 64 bits).
 */
static void axpy_rows_q16(const int16_t *rows, size_t rs, const int16_t *c, size_t cs, int count, int width, int16_t *dst,
                          int shift, int64_t *max, int64_t *sat) {
    int i = 0;
    for (; i + 8 <= width; i += 8) {
        int64x2_t a0 = vdupq_n_s64(0), a1 = vdupq_n_s64(0), a2 = vdupq_n_s64(0), a3 = vdupq_n_s64(0);
        for (int k = 0; k < count; k++) {
            int16_t ck = c[k * cs];
            if (ck == 0) continue;
            int16x8_t v = vld1q_s16(rows + k * rs + i);
            int32x4_t lo = vmull_n_s16(vget_low_s16(v), ck), hi = vmull_n_s16(vget_high_s16(v), ck);
            a0 = vaddw_s32(a0, vget_low_s32(lo));
            a1 = vaddw_s32(a1, vget_high_s32(lo));
            a2 = vaddw_s32(a2, vget_low_s32(hi));
            a3 = vaddw_s32(a3, vget_high_s32(hi));
        }
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
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) { // dX[r] = Σ_o dY[r, o] · W[o]
        axpy_rows_q16(w, (size_t)in, dy + (size_t)r * out, 1, out, in, dx + (size_t)r * in, shift, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_dense_weight_grad__neon(const int16_t *dy, const int16_t *x, int16_t *dw, int batch, int in, int out, int shift,
                                    int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int o = 0; o < out; o++) { // dW[o] = Σ_r dY[r, o] · X[r]
        axpy_rows_q16(x, (size_t)in, dy + o, (size_t)out, batch, in, dw + (size_t)o * in, shift, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

/* ------------------------------------------------------------------------------------------------------------------
 * Updates, 4 weights at a time: products vmull_n_s16, terms widened to int64 and shifted (vshlq_s64), the rounding bits
 * from the same fmix32 hash in uint32 lanes (vmulq_u32), one arithmetic right shift, then the int64 results narrowed
 * to int32 (vmovn) for the magnitude statistic and the saturation count, and saturated to int16 (vqmovn_s32). ARMv7 has
 * no 64-bit compare or absolute value, so a group whose value does not fit an int32 (or is INT32_MIN) is redone by the
 * scalar element code (kernels_fixed_internal.h); so is every update whose terms are not plain left shifts, and tails.
 * ---------------------------------------------------------------------------------------------------------------- */

static inline uint32x4_t hash4(uint32_t key, uint32_t i0) {
    static const uint32_t lanes[4] = {0, 1, 2, 3};
    uint32x4_t idx = vaddq_u32(vdupq_n_u32(i0), vld1q_u32(lanes));
    uint32x4_t h = veorq_u32(vdupq_n_u32(key), vmulq_n_u32(idx, 0x9E3779B9u));
    h = veorq_u32(h, vshrq_n_u32(h, 16));
    h = vmulq_n_u32(h, 0x85EBCA6Bu);
    h = veorq_u32(h, vshrq_n_u32(h, 13));
    h = vmulq_n_u32(h, 0xC2B2AE35u);
    return veorq_u32(h, vshrq_n_u32(h, 16));
}

/* Rounding bits for 4 elements as two int64x2: stochastic (u << 32) >>> (64 − S), i.e. u shifted by S − 32; else ½. */
static inline void rounding4(uint32_t key, uint32_t i0, int S, int stochastic, int64x2_t *lo, int64x2_t *hi) {
    if (!stochastic || S == 0) {
        *lo = *hi = vdupq_n_s64(S == 0 ? 0 : (int64_t)1 << (S - 1));
        return;
    }
    uint32x4_t h = hash4(key, i0);
    int64x2_t sh = vdupq_n_s64(S - 32);
    *lo = vreinterpretq_s64_u64(vshlq_u64(vmovl_u32(vget_low_u32(h)), sh));
    *hi = vreinterpretq_s64_u64(vshlq_u64(vmovl_u32(vget_high_u32(h)), sh));
}

/* q·m << d for 4 int16 values, as two int64x2. */
static inline void term4(int16x4_t q, int m, int d, int64x2_t *lo, int64x2_t *hi) {
    int32x4_t prod = vmull_n_s16(q, (int16_t)m);
    int64x2_t sh = vdupq_n_s64(d);
    *lo = vshlq_s64(vmovl_s32(vget_low_s32(prod)), sh);
    *hi = vshlq_s64(vmovl_s32(vget_high_s32(prod)), sh);
}

/* 1 if both lanes fit an int32 and neither is INT32_MIN (so vabsq_s32 is exact). */
static inline int fits32(int64x2_t x) {
    int32x2_t lo = vmovn_s64(x), hi = vmovn_s64(vshrq_n_s64(x, 32));
    uint32x2_t ok = vand_u32(vceq_s32(hi, vshr_n_s32(lo, 31)), vmvn_u32(vceq_s32(lo, vdup_n_s32(INT32_MIN))));
    return (vget_lane_u32(ok, 0) & vget_lane_u32(ok, 1)) == 0xFFFFFFFFu;
}

/* Narrows 4 checked values to int32, adds their magnitudes and saturations to the vector statistics, saturates. */
static inline int16x4_t saturate4(int64x2_t lo, int64x2_t hi, int32x4_t *vmax, uint32x4_t *vsat) {
    int32x4_t x = vcombine_s32(vmovn_s64(lo), vmovn_s64(hi));
    *vmax = vmaxq_s32(*vmax, vabsq_s32(x));
    uint32x4_t out = vorrq_u32(vcgtq_s32(x, vdupq_n_s32(INT16_MAX)), vcltq_s32(x, vdupq_n_s32(INT16_MIN)));
    *vsat = vsubq_u32(*vsat, out);  // a set lane is all ones, i.e. −1
    return vqmovn_s32(x);
}

static inline void fold_stats(int32x4_t vmax, uint32x4_t vsat, int64_t *max, int64_t *sat) {
    for (int k = 0; k < 4; k++) {
        int32_t m = vgetq_lane_s32(vmax, 0);
        if (m > *max) *max = m;
        *sat += vgetq_lane_u32(vsat, 0);
        vmax = vextq_s32(vmax, vmax, 1);
        vsat = vextq_u32(vsat, vsat, 1);
    }
}

/* S − s when a term is a plain left shift of at most 30 with a mantissa that fits int16 (0 when absent), else −1. */
static inline int left_shift(int m, int s, int S) {
    if (m == 0) return 0;
    int d = S - s;
    return d >= 0 && d <= 30 && m >= -32767 && m <= 32767 ? d : -1;
}

void et_q16_sgd_step__neon(int16_t *p, const int16_t *g, int n, int gm, int gs, int pm, int ps, uint32_t key, int stochastic,
                           int64_t *stats) {
    int S = et_q_common_shift(gm, gs, pm, ps, 0, 0);
    int dg = left_shift(gm, gs, S), dp = left_shift(pm, ps, S);
    if (dg < 0 || dp < 0) {
        et_q16_sgd_step__ref(p, g, n, gm, gs, pm, ps, key, stochastic, stats);
        return;
    }
    int64_t max = stats[0], sat = 0;
    int32x4_t vmax = vdupq_n_s32(0);
    uint32x4_t vsat = vdupq_n_u32(0);
    int64x2_t shr = vdupq_n_s64(-S);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        int16x4_t p4 = vld1_s16(p + i), g4 = vld1_s16(g + i);
        int64x2_t a_lo, a_hi, b_lo, b_hi, r_lo, r_hi;
        term4(g4, gm, dg, &a_lo, &a_hi);
        term4(p4, pm, dp, &b_lo, &b_hi);
        rounding4(key, (uint32_t)i, S, stochastic, &r_lo, &r_hi);
        int32x4_t p32 = vmovl_s16(p4);
        int64x2_t lo = vsubq_s64(vmovl_s32(vget_low_s32(p32)), vshlq_s64(vaddq_s64(vaddq_s64(a_lo, b_lo), r_lo), shr));
        int64x2_t hi = vsubq_s64(vmovl_s32(vget_high_s32(p32)), vshlq_s64(vaddq_s64(vaddq_s64(a_hi, b_hi), r_hi), shr));
        if (fits32(lo) && fits32(hi)) {
            vst1_s16(p + i, saturate4(lo, hi, &vmax, &vsat));
        } else {
            for (int k = i; k < i + 4; k++) p[k] = et_q_sgd_element(p[k], g[k], (uint32_t)k, gm, gs, pm, ps, S, key, stochastic, &max, &sat);
        }
    }
    for (; i < n; i++) p[i] = et_q_sgd_element(p[i], g[i], (uint32_t)i, gm, gs, pm, ps, S, key, stochastic, &max, &sat);
    fold_stats(vmax, vsat, &max, &sat);
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_momentum_step__neon(int16_t *p, const int16_t *g, int16_t *v, int n, int vm, int vs, int gm, int gs, int pm, int ps,
                                int lm, int ls, uint32_t key_v, uint32_t key_p, int stochastic, int64_t *stats_v, int64_t *stats_p) {
    int S = et_q_common_shift(vm, vs, gm, gs, pm, ps), L = et_q_common_shift(lm, ls, 0, 0, 0, 0);
    int dv = left_shift(vm, vs, S), dg = left_shift(gm, gs, S), dp = left_shift(pm, ps, S), dl = left_shift(lm, ls, L);
    if (dv < 0 || dg < 0 || dp < 0 || dl < 0) {
        et_q16_momentum_step__ref(p, g, v, n, vm, vs, gm, gs, pm, ps, lm, ls, key_v, key_p, stochastic, stats_v, stats_p);
        return;
    }
    int64_t max_v = stats_v[0], sat_v = 0, max_p = stats_p[0], sat_p = 0;
    int32x4_t vmax_v = vdupq_n_s32(0), vmax_p = vdupq_n_s32(0);
    uint32x4_t vsat_v = vdupq_n_u32(0), vsat_p = vdupq_n_u32(0);
    int64x2_t shr_s = vdupq_n_s64(-S), shr_l = vdupq_n_s64(-L);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        int16x4_t p4 = vld1_s16(p + i), g4 = vld1_s16(g + i), v4 = vld1_s16(v + i);
        int64x2_t a_lo, a_hi, b_lo, b_hi, c_lo, c_hi, r_lo, r_hi;
        term4(v4, vm, dv, &a_lo, &a_hi);
        term4(g4, gm, dg, &b_lo, &b_hi);
        term4(p4, pm, dp, &c_lo, &c_hi);
        rounding4(key_v, (uint32_t)i, S, stochastic, &r_lo, &r_hi);
        int64x2_t nv_lo = vshlq_s64(vaddq_s64(vaddq_s64(vaddq_s64(a_lo, b_lo), c_lo), r_lo), shr_s);  // v = μ·v + g + wd·p
        int64x2_t nv_hi = vshlq_s64(vaddq_s64(vaddq_s64(vaddq_s64(a_hi, b_hi), c_hi), r_hi), shr_s);
        if (!fits32(nv_lo) || !fits32(nv_hi)) goto scalar;
        {
            int32x4_t tmax_v = vmax_v;
            uint32x4_t tsat_v = vsat_v;
            int16x4_t nv4 = saturate4(nv_lo, nv_hi, &tmax_v, &tsat_v);
            term4(nv4, lm, dl, &a_lo, &a_hi);
            rounding4(key_p, (uint32_t)i, L, stochastic, &r_lo, &r_hi);
            int32x4_t p32 = vmovl_s16(p4);
            int64x2_t lo = vsubq_s64(vmovl_s32(vget_low_s32(p32)), vshlq_s64(vaddq_s64(a_lo, r_lo), shr_l));  // p −= lr·v
            int64x2_t hi = vsubq_s64(vmovl_s32(vget_high_s32(p32)), vshlq_s64(vaddq_s64(a_hi, r_hi), shr_l));
            if (!fits32(lo) || !fits32(hi)) goto scalar;
            vmax_v = tmax_v;
            vsat_v = tsat_v;
            vst1_s16(v + i, nv4);
            vst1_s16(p + i, saturate4(lo, hi, &vmax_p, &vsat_p));
            continue;
        }
    scalar:
        for (int k = i; k < i + 4; k++) {
            et_q_momentum_element(p, g, v, (uint32_t)k, vm, vs, gm, gs, pm, ps, lm, ls, S, L, key_v, key_p, stochastic, &max_v, &sat_v,
                                  &max_p, &sat_p);
        }
    }
    for (; i < n; i++) {
        et_q_momentum_element(p, g, v, (uint32_t)i, vm, vs, gm, gs, pm, ps, lm, ls, S, L, key_v, key_p, stochastic, &max_v, &sat_v,
                              &max_p, &sat_p);
    }
    fold_stats(vmax_v, vsat_v, &max_v, &sat_v);
    fold_stats(vmax_p, vsat_p, &max_p, &sat_p);
    stats_v[0] = max_v;
    stats_v[1] += sat_v;
    stats_p[0] = max_p;
    stats_p[1] += sat_p;
}
