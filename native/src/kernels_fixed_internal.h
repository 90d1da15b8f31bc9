/*
 * The narrowing every fixed-point product ends with, shared by kernels_fixed_ref.c and kernels_fixed_neon.c: the C
 * spelling of FixedKernels.roundShift and the saturation in JavaFixedKernels, bit for bit.
 */
#ifndef EDGETRAIN_KERNELS_FIXED_INTERNAL_H
#define EDGETRAIN_KERNELS_FIXED_INTERNAL_H

#include <stddef.h>
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

/* ---- products: how long an int32 accumulator stays exact ---- */

/* The largest |a[i]| over n values (32768 for −32768). */
static inline uint32_t et_q_max_abs(const int16_t *a, size_t n) {
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t v = a[i];
        uint32_t u = (uint32_t)(v < 0 ? -v : v);
        m = u > m ? u : m;
    }
    return m;
}

/* Accumulation steps an int32 lane takes without overflow when each step adds `per` products of an operand bounded
 * by ma and one bounded by mb: INT32_MAX / (per·ma·mb), at most INT32_MAX (no bound: 0 · anything); 0 = not even one. */
static inline int64_t et_q_int32_steps(uint32_t ma, uint32_t mb, int per) {
    uint64_t step = (uint64_t)per * ma * mb;
    return step == 0 ? INT32_MAX : (int64_t)((uint64_t)INT32_MAX / step);
}

/* The update's terms as kernels_fixed_neon.c's short form takes them (q_fast_terms): velocity, weight decay and learning
 * rate as a = (q·M) >> S; the gradient's term, whose coefficient reaches 1 when velocity and gradient share a grid, as
 * its whole part t >> HS (t = g·GM) and 16 fraction bits ((t >> FR) << FL) & 0xFFFF. */
typedef struct {
    int32_t VM, PM, LM, GM;
    int SV, SP, SL, HS, FR, FL;
} q_update_terms;

#if defined(__x86_64__) && defined(__AVX2__)
/* kernels_fixed_avx2.c: the batch-1 fused update (rows of W) and the momentum step (one row), 8 weights at a time; each
 * returns how many leading elements of each row it did (a multiple of 8, 0 when it cannot), st = {max g, sat g, max v, sat v, max p, sat p} */
int et_q16_fused_rows__avx2(const int16_t *x, const int16_t *dy, int shift, int16_t *p, int16_t *v, int rows, int in,
                            const q_update_terms *k, uint32_t key, int stochastic, int decay, int32_t *st);
int et_q16_momentum_row__avx2(const int16_t *g, int16_t *p, int16_t *v, int n, const q_update_terms *k, uint32_t key, int stochastic,
                              int decay, int32_t *st);
/* kernels_fixed_avx2.c: the products with vpmaddwd; the __neon entry points use them on x86-64 */
void et_q16_dense_forward__avx2(const int16_t *x, const int16_t *w, const int16_t *b, int bias_shift, int16_t *y, int batch,
                                int in, int out, int shift, int64_t *stats);
void et_q16_dense_input_grad__avx2(const int16_t *dy, const int16_t *w, int16_t *dx, int batch, int in, int out, int shift,
                                   int64_t *stats);
void et_q16_dense_weight_grad__avx2(const int16_t *dy, const int16_t *x, int16_t *dw, int batch, int in, int out, int shift,
                                    int64_t *stats);
#define ET_Q16_AVX2 1
#else
#define ET_Q16_AVX2 0
#endif

/* ---- updates: the helpers of JavaFixedKernels.sgdStep / momentumStep, same names, same bits ----
 * All int32: a term t·2^-s (t = int16 · mantissa, exact) is split into its floored whole part, clamped to ±2^24, and the
 * next 16 bits of its fraction; a rounded sum is Σ whole + ((Σ fraction + r) >> 16), r = 16 random bits or one half. */

#define ET_Q_HIGH_LIMIT (1 << 24)
#define ET_Q_HALF 0x8000

static inline int32_t et_q_clamp_high(int64_t h) {
    return (int32_t)(h > ET_Q_HIGH_LIMIT ? ET_Q_HIGH_LIMIT : h < -ET_Q_HIGH_LIMIT ? -ET_Q_HIGH_LIMIT : h);
}

/* int16 · mantissa as Java's int multiply (wraps; never does for a 15-bit mantissa) */
static inline int32_t et_q_mul(int32_t q, int32_t m) {
    return (int32_t)((uint32_t)q * (uint32_t)m);
}

/* JavaFixedKernels.high: the whole part of t·2^-s, floored, clamped to ±2^24. */
static inline int32_t et_q_high(int32_t t, int s) {
    if (s >= 0) return et_q_clamp_high(t >> (s < 31 ? s : 31));
    return et_q_clamp_high((int64_t)((uint64_t)(int64_t)t << (-s < 30 ? -s : 30)));
}

/* JavaFixedKernels.fraction: the next 16 bits of t·2^-s below the last bit, floored. */
static inline int32_t et_q_fraction(int32_t t, int s) {
    if (s >= 16) return (t >> (s - 16 < 31 ? s - 16 : 31)) & 0xFFFF;
    if (s >= 0) return (int32_t)(((uint32_t)t << (16 - s)) & 0xFFFFu);
    return 0;
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

/* Records a value's magnitude and saturates it to int16 (counted). */
static inline int16_t et_q_saturate(int64_t v, int64_t *max, int64_t *sat) {
    int64_t m = v < 0 ? -v : v;
    if (m > *max) *max = m;
    if (v > INT16_MAX) { (*sat)++; return INT16_MAX; }
    if (v < INT16_MIN) { (*sat)++; return INT16_MIN; }
    return (int16_t)v;
}

/* 16 rounding bits from a hash half-word, or one half for round-to-nearest. */
static inline int32_t et_q_rounding16(uint32_t half_word, int stochastic) {
    return stochastic ? (int32_t)(half_word & 0xFFFFu) : ET_Q_HALF;
}

/* One SGD element: p − round(g·gm·2^-gs + p·pm·2^-ps). */
static inline int16_t et_q_sgd_element(int16_t p, int16_t g, uint32_t i, int gm, int gs, int pm, int ps, uint32_t key,
                                       int stochastic, int64_t *max, int64_t *sat) {
    int32_t tg = et_q_mul(g, gm), tp = et_q_mul(p, pm);
    int32_t r = et_q_rounding16(et_q_random_bits(key, i), stochastic);
    int32_t u = et_q_high(tg, gs) + et_q_high(tp, ps) + ((et_q_fraction(tg, gs) + et_q_fraction(tp, ps) + r) >> 16);
    return et_q_saturate((int64_t)p - u, max, sat);
}

/* One momentum element: v = sat(round(v·vm·2^-vs + g·gm·2^-gs + p·pm·2^-ps)); p = sat(p − round(v·lm·2^-ls)); one hash
 * (key = key_v ^ key_p) for both roundings: low half-word for v, high for p. */
static inline void et_q_momentum_element(int16_t *p, const int16_t *g, int16_t *v, uint32_t i, int vm, int vs, int gm, int gs,
                                         int pm, int ps, int lm, int ls, uint32_t key, int stochastic, int64_t *max_v,
                                         int64_t *sat_v, int64_t *max_p, int64_t *sat_p) {
    int16_t pv = p[i];
    int32_t tv = et_q_mul(v[i], vm), tg = et_q_mul(g[i], gm), tp = et_q_mul(pv, pm);
    uint32_t bits = et_q_random_bits(key, i);
    int32_t u = et_q_high(tv, vs) + et_q_high(tg, gs) + et_q_high(tp, ps)
                + ((et_q_fraction(tv, vs) + et_q_fraction(tg, gs) + et_q_fraction(tp, ps) + et_q_rounding16(bits, stochastic)) >> 16);
    int16_t nv = et_q_saturate(u, max_v, sat_v);
    v[i] = nv;
    int32_t tl = et_q_mul(nv, lm);
    int32_t d = et_q_high(tl, ls) + ((et_q_fraction(tl, ls) + et_q_rounding16(bits >> 16, stochastic)) >> 16);
    p[i] = et_q_saturate((int64_t)pv - d, max_p, sat_p);
}

#endif
