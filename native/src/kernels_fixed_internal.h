/*
 * The narrowing every fixed-point product ends with, shared by kernels_fixed_ref.c and kernels_fixed_neon.c: the C
 * spelling of FixedKernels.roundShift and the saturation in JavaFixedKernels, bit for bit.
 */
#ifndef EDGETRAIN_KERNELS_FIXED_INTERNAL_H
#define EDGETRAIN_KERNELS_FIXED_INTERNAL_H

#include <stdint.h>

/* shift > 0: (acc + 2^(s-1)) >> s with s = min(shift, 62), arithmetic; else acc clamped to ±2^(62-s), s = min(-shift, 40),
 * shifted left (through uint64_t: a left shift of a negative int64_t is undefined in C, Java wraps the same bits). */
static inline int64_t et_q_round_shift(int64_t acc, int shift) {
    if (shift > 0) {
        int s = shift < 62 ? shift : 62;
        return (acc + ((int64_t)1 << (s - 1))) >> s;
    }
    int s = -shift < 40 ? -shift : 40;
    int64_t lim = (int64_t)1 << (62 - s);
    if (acc > lim) acc = lim;
    else if (acc < -lim) acc = -lim;
    return (int64_t)((uint64_t)acc << s);
}

/* Rounds, records the magnitude, saturates to int16 (counted). */
static inline int16_t et_q_narrow(int64_t acc, int shift, int64_t *max, int64_t *sat) {
    int64_t v = et_q_round_shift(acc, shift);
    int64_t m = v < 0 ? -v : v;
    if (m > *max) *max = m;
    if (v > INT16_MAX) {
        (*sat)++;
        return INT16_MAX;
    }
    if (v < INT16_MIN) {
        (*sat)++;
        return INT16_MIN;
    }
    return (int16_t)v;
}

/* ---- updates: the helpers of JavaFixedKernels.sgdStep / momentumStep, same names, same bits ---- */

/* The common shift of an update's terms: the largest term shift, at most 30 above the smallest, in [0, 62]; terms with
 * a zero mantissa do not count. */
static inline int et_q_common_shift(int m1, int s1, int m2, int s2, int m3, int s3) {
    int hi = -2147483647 - 1, lo = 2147483647;
    if (m1) { if (s1 > hi) hi = s1; if (s1 < lo) lo = s1; }
    if (m2) { if (s2 > hi) hi = s2; if (s2 < lo) lo = s2; }
    if (m3) { if (s3 > hi) hi = s3; if (s3 < lo) lo = s3; }
    if (hi == -2147483647 - 1) return 0;
    int S = hi < lo + 30 ? hi : lo + 30;
    if (S > 62) S = 62;
    return S < 0 ? 0 : S;
}

/* q·m·2^-s in units of 2^-S: a left shift by S − s (at most 30) or a flooring right shift (at most 63). */
static inline int64_t et_q_term(int64_t q, int m, int s, int S) {
    if (m == 0) return 0;
    int64_t t = q * m;
    int d = S - s;
    if (d >= 0) return (int64_t)((uint64_t)t << (d < 30 ? d : 30));
    return t >> (-d < 63 ? -d : 63);
}

/* murmur3's fmix32 of key ^ i·0x9E3779B9: the stochastic-rounding bits of element i (FixedKernels.randomBits). */
static inline uint32_t et_q_random_bits(uint32_t key, uint32_t i) {
    uint32_t h = key ^ (i * 0x9E3779B9u);
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

/* What is added before the final right shift by S: S random bits (stochastic) or one half (nearest). */
static inline int64_t et_q_rounding_bits(uint32_t key, uint32_t i, int S, int stochastic) {
    if (S == 0) return 0;
    if (!stochastic) return (int64_t)1 << (S - 1);
    uint64_t u = et_q_random_bits(key, i);
    return (int64_t)(S <= 32 ? u >> (32 - S) : u << (S - 32));
}

/* Records a value's magnitude and saturates it to int16 (counted). */
static inline int16_t et_q_saturate(int64_t v, int64_t *max, int64_t *sat) {
    int64_t m = v < 0 ? -v : v;
    if (m > *max) *max = m;
    if (v > INT16_MAX) { (*sat)++; return INT16_MAX; }
    if (v < INT16_MIN) { (*sat)++; return INT16_MIN; }
    return (int16_t)v;
}

/* One SGD element: p − round(g·gm·2^-gs + p·pm·2^-ps). */
static inline int16_t et_q_sgd_element(int16_t p, int16_t g, uint32_t i, int gm, int gs, int pm, int ps, int S, uint32_t key,
                                       int stochastic, int64_t *max, int64_t *sat) {
    int64_t sum = et_q_term(g, gm, gs, S) + et_q_term(p, pm, ps, S);
    int64_t r = (int64_t)p - ((sum + et_q_rounding_bits(key, i, S, stochastic)) >> S);
    return et_q_saturate(r, max, sat);
}

/* One momentum element: v = sat(round(v·vm·2^-vs + g·gm·2^-gs + p·pm·2^-ps)); p = sat(p − round(v·lm·2^-ls)). */
static inline void et_q_momentum_element(int16_t *p, const int16_t *g, int16_t *v, uint32_t i, int vm, int vs, int gm, int gs,
                                         int pm, int ps, int lm, int ls, int S, int L, uint32_t key_v, uint32_t key_p,
                                         int stochastic, int64_t *max_v, int64_t *sat_v, int64_t *max_p, int64_t *sat_p) {
    int16_t pv = p[i];
    int64_t sum = et_q_term(v[i], vm, vs, S) + et_q_term(g[i], gm, gs, S) + et_q_term(pv, pm, ps, S);
    int16_t nv = et_q_saturate((sum + et_q_rounding_bits(key_v, i, S, stochastic)) >> S, max_v, sat_v);
    v[i] = nv;
    int64_t r = (int64_t)pv - ((et_q_term(nv, lm, ls, L) + et_q_rounding_bits(key_p, i, L, stochastic)) >> L);
    p[i] = et_q_saturate(r, max_p, sat_p);
}

#endif
