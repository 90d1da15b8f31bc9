/*
 * The fixed-point products on x86-64 with AVX2's vpmaddwd, bit for bit equal to kernels_fixed_ref.c (and so to
 * org.edgetrain.fixed.JavaFixedKernels). Reached through the __neon entry points on x86-64 builds (kernels_fixed_neon.c),
 * because SIMDe maps NEON's widening int16 products onto pmovsx + pmulld, a quarter of what pmaddwd does.
 *
 * vpmaddwd multiplies 16 int16 pairs and adds adjacent products: 8 int32 lanes, each the sum of two products. The sums
 * stay exact because the kernel first measures its operands: with P = max|a|·max|b| every lane grows by at most 2·P per
 * step, so INT32_MAX / (2·P) steps (et_q_int32_steps) cannot overflow an int32; after that many, the lanes are widened into
 * int64 accumulators. Exact sums have no order: the result is the reference's whatever the blocking. Only when both
 * operands hold −32768 (P = 2^30, 2·P = 2^31 > INT32_MAX) does the whole call fall back to the reference.
 * Forward (X·Wᵀ) is a dot product along rows; both gradient products are sums of scaled rows, done with two rows
 * interleaved (vpunpcklwd / vpunpckhwd) against a broadcast pair of coefficients.
 */
#include "edgetrain_kernels.h"
#include "kernels_fixed_internal.h"

#if defined(__x86_64__) && defined(__AVX2__)
#include <immintrin.h>
#include <stddef.h>

/* acc64 += the 8 int32 lanes of acc32, widened (as two int64x4: lanes 0-3 and 4-7) */
static inline void widen_into(__m256i acc32, __m256i *lo64, __m256i *hi64) {
    *lo64 = _mm256_add_epi64(*lo64, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(acc32)));
    *hi64 = _mm256_add_epi64(*hi64, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(acc32, 1)));
}

static inline int64_t sum64(__m256i v) {
    __m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    return _mm_cvtsi128_si64(s) + _mm_extract_epi64(s, 1);
}

/*
 * et_q_narrow for 4 int64 sums at once (shift in [1, 62]): the rounding shift as (x >> s) + bit s−1 of x (no add that
 * could overflow), the arithmetic 64-bit shift AVX2 lacks as a logical one between two sign flips; the magnitude
 * maximum and the saturation count in vector lanes; the 4 results saturated to int16 in the low 64 bits.
 */
static inline __m128i narrow4(__m256i x, __m128i sh, __m128i sh1, __m256i *vmax, __m256i *vsat) {
    const __m256i zero = _mm256_setzero_si256();
    __m256i sign = _mm256_cmpgt_epi64(zero, x);
    __m256i v = _mm256_xor_si256(_mm256_srl_epi64(_mm256_xor_si256(x, sign), sh), sign);
    v = _mm256_add_epi64(v, _mm256_and_si256(_mm256_srl_epi64(x, sh1), _mm256_set1_epi64x(1)));
    __m256i vs = _mm256_cmpgt_epi64(zero, v);
    __m256i mag = _mm256_sub_epi64(_mm256_xor_si256(v, vs), vs);
    *vmax = _mm256_blendv_epi8(*vmax, mag, _mm256_cmpgt_epi64(mag, *vmax));
    __m256i hi = _mm256_cmpgt_epi64(v, _mm256_set1_epi64x(INT16_MAX)), lo = _mm256_cmpgt_epi64(_mm256_set1_epi64x(INT16_MIN), v);
    *vsat = _mm256_sub_epi64(*vsat, _mm256_or_si256(hi, lo));
    v = _mm256_blendv_epi8(v, _mm256_set1_epi64x(INT16_MAX), hi);
    v = _mm256_blendv_epi8(v, _mm256_set1_epi64x(INT16_MIN), lo);
    // low 32 bits of each lane to the bottom 128 bits, then to int16 (already in range)
    __m256i low32 = _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    return _mm_packs_epi32(_mm256_castsi256_si128(low32), _mm256_castsi256_si128(low32));
}

/* Folds the vector statistics into the scalar ones. */
static inline void fold_stats(__m256i vmax, __m256i vsat, int64_t *max, int64_t *sat) {
    int64_t m[4], c[4];
    _mm256_storeu_si256((__m256i *)m, vmax);
    _mm256_storeu_si256((__m256i *)c, vsat);
    for (int k = 0; k < 4; k++) {
        if (m[k] > *max) *max = m[k];
        *sat += c[k];
    }
}

/* et_q_narrow for 8 int32 sums (shift in [1, 31]): as narrow4, in int32 lanes; the 8 results as int16. */
static inline __m128i narrow8(__m256i x, __m128i sh, __m128i sh1, __m256i *vmax, __m256i *vsat) {
    __m256i v = _mm256_add_epi32(_mm256_sra_epi32(x, sh), _mm256_and_si256(_mm256_srl_epi32(x, sh1), _mm256_set1_epi32(1)));
    *vmax = _mm256_max_epi32(*vmax, _mm256_abs_epi32(v));  // |v| ≤ 2^30
    __m256i out = _mm256_or_si256(_mm256_cmpgt_epi32(v, _mm256_set1_epi32(INT16_MAX)), _mm256_cmpgt_epi32(_mm256_set1_epi32(INT16_MIN), v));
    *vsat = _mm256_sub_epi32(*vsat, out);
    return _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packs_epi32(v, v), 0x08));
}

static inline void fold_stats32(__m256i vmax, __m256i vsat, int64_t *max, int64_t *sat) {
    int32_t m[8], c[8];
    _mm256_storeu_si256((__m256i *)m, vmax);
    _mm256_storeu_si256((__m256i *)c, vsat);
    for (int k = 0; k < 8; k++) {
        if (m[k] > *max) *max = m[k];
        *sat += c[k];
    }
}

/* Σ a[i]·b[j][i] over n for 4 rows b[0..3], exact, at most `steps` pmaddwd per int32 lane between widenings: the 4 sums */
static inline __m256i dot4(const int16_t *a, const int16_t *b0, const int16_t *b1, const int16_t *b2, const int16_t *b3, int n,
                            int64_t steps) {
    __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0;
    __m256i l0 = c0, h0 = c0, l1 = c0, h1 = c0, l2 = c0, h2 = c0, l3 = c0, h3 = c0;
    int n16 = n & ~15;
    int64_t left = steps;
    for (int i = 0; i < n16; i += 16) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(a + i));
        c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b0 + i))));
        c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b1 + i))));
        c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b2 + i))));
        c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(x, _mm256_loadu_si256((const __m256i *)(b3 + i))));
        if (--left == 0) {
            widen_into(c0, &l0, &h0), widen_into(c1, &l1, &h1), widen_into(c2, &l2, &h2), widen_into(c3, &l3, &h3);
            c0 = c1 = c2 = c3 = _mm256_setzero_si256();
            left = steps;
        }
    }
    widen_into(c0, &l0, &h0), widen_into(c1, &l1, &h1), widen_into(c2, &l2, &h2), widen_into(c3, &l3, &h3);
    __m256i t0 = _mm256_add_epi64(l0, h0), t1 = _mm256_add_epi64(l1, h1), t2 = _mm256_add_epi64(l2, h2), t3 = _mm256_add_epi64(l3, h3);
    __m256i u01 = _mm256_add_epi64(_mm256_unpacklo_epi64(t0, t1), _mm256_unpackhi_epi64(t0, t1));
    __m256i u23 = _mm256_add_epi64(_mm256_unpacklo_epi64(t2, t3), _mm256_unpackhi_epi64(t2, t3));
    __m256i sums = _mm256_add_epi64(_mm256_permute2x128_si256(u01, u23, 0x20), _mm256_permute2x128_si256(u01, u23, 0x31));
    if (n16 == n) return sums;
    int64_t s[4];
    _mm256_storeu_si256((__m256i *)s, sums);
    for (int i = n16; i < n; i++) {
        s[0] += (int32_t)a[i] * b0[i], s[1] += (int32_t)a[i] * b1[i], s[2] += (int32_t)a[i] * b2[i], s[3] += (int32_t)a[i] * b3[i];
    }
    return _mm256_loadu_si256((const __m256i *)s);
}

void et_q16_dense_forward__avx2(const int16_t *x, const int16_t *w, const int16_t *b, int bias_shift, int16_t *y, int batch,
                                int in, int out, int shift, int64_t *stats) {
    int64_t steps = et_q_int32_steps(et_q_max_abs(x, (size_t)batch * in), et_q_max_abs(w, (size_t)out * in), 2);
    if (steps == 0) {
        et_q16_dense_forward__ref(x, w, b, bias_shift, y, batch, in, out, shift, stats);
        return;
    }
    int64_t max = stats[0], sat = 0;
    int vector = shift >= 1 && shift <= 62;
    __m128i sh = _mm_cvtsi32_si128(shift), sh1 = _mm_cvtsi32_si128(shift - 1);
    __m256i vmax = _mm256_setzero_si256(), vsat = vmax;
    for (int r = 0; r < batch; r++) {
        const int16_t *xr = x + (size_t)r * in;
        int16_t *yr = y + (size_t)r * out;
        for (int o = 0; o < out; o += 4) {
            const int16_t *w0 = w + (size_t)o * in;
            int k = out - o < 4 ? out - o : 4;
            // a short last group repeats its first row: computed, not stored
            __m256i sums = dot4(xr, w0, k > 1 ? w0 + in : w0, k > 2 ? w0 + 2 * (size_t)in : w0, k > 3 ? w0 + 3 * (size_t)in : w0, in,
                                steps);
            if (b) {
                int64_t bt[4];
                for (int j = 0; j < 4; j++) bt[j] = j < k ? et_q_round_shift(b[o + j], -bias_shift) : 0;
                sums = _mm256_add_epi64(sums, _mm256_loadu_si256((const __m256i *)bt));
            }
            if (vector && k == 4) {
                _mm_storel_epi64((__m128i *)(yr + o), narrow4(sums, sh, sh1, &vmax, &vsat));
            } else {
                int64_t s4[4];
                _mm256_storeu_si256((__m256i *)s4, sums);
                for (int j = 0; j < k; j++) yr[o + j] = et_q_narrow(s4[j], shift, &max, &sat);
            }
        }
    }
    fold_stats(vmax, vsat, &max, &sat);
    stats[0] = max;
    stats[1] += sat;
}

/*
 * dst[i] = narrow(Σ_k c[k·cs] · rows[k·rs + i]) for i < width: rows k and k+1 interleaved so that one vpmaddwd against
 * the broadcast pair (c[k], c[k+1]) adds both rows' products for 8 columns. vpunpck works within 128-bit halves, so
 * the low accumulator holds columns 0-3 and 8-11, the high one 4-7 and 12-15; the widening puts them back in order.
 */
static void axpy_rows_avx2(const int16_t *rows, size_t rs, const int16_t *c, size_t cs, int count, int width, int16_t *dst,
                           int shift, int64_t steps, int64_t *max, int64_t *sat) {
    int w16 = width & ~15;
    int64_t sums[16];
    int vector = shift >= 1 && shift <= 62;
    __m128i sh = _mm_cvtsi32_si128(shift), sh1 = _mm_cvtsi32_si128(shift - 1);
    __m256i vmax = _mm256_setzero_si256(), vsat = vmax, vmax32 = vmax, vsat32 = vmax;
    // every column's whole sum in one int32 lane, exact when all steps fit one block: narrowed in int32 (batch 1 always)
    int narrow32 = shift >= 1 && shift <= 31 && (count + 1) / 2 <= steps;
    for (int i = 0; i < w16; i += 16) {
        __m256i lo = _mm256_setzero_si256(), hi = lo, c0_3 = lo, c8_11 = lo, c4_7 = lo, c12_15 = lo;
        int64_t left = narrow32 ? INT64_MAX : steps;  // no widening mid-way: lo and hi end holding the whole sums
        for (int k = 0; k < count; k += 2) {
            int16_t a0 = c[k * cs], a1 = k + 1 < count ? c[(k + 1) * cs] : 0;
            if ((a0 | a1) == 0) continue;
            __m256i r0 = _mm256_loadu_si256((const __m256i *)(rows + k * rs + i));
            __m256i r1 = k + 1 < count ? _mm256_loadu_si256((const __m256i *)(rows + (k + 1) * rs + i)) : _mm256_setzero_si256();
            __m256i pair = _mm256_set1_epi32((int32_t)((uint32_t)(uint16_t)a0 | (uint32_t)(uint16_t)a1 << 16));
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(r0, r1), pair));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(r0, r1), pair));
            if (--left == 0) {
                widen_into(lo, &c0_3, &c8_11);
                widen_into(hi, &c4_7, &c12_15);
                lo = hi = _mm256_setzero_si256();
                left = steps;
            }
        }
        if (narrow32) {
            _mm_storeu_si128((__m128i *)(dst + i), narrow8(_mm256_permute2x128_si256(lo, hi, 0x20), sh, sh1, &vmax32, &vsat32));
            _mm_storeu_si128((__m128i *)(dst + i + 8), narrow8(_mm256_permute2x128_si256(lo, hi, 0x31), sh, sh1, &vmax32, &vsat32));
            continue;
        }
        widen_into(lo, &c0_3, &c8_11);
        widen_into(hi, &c4_7, &c12_15);
        if (vector) {
            __m128i y0 = narrow4(c0_3, sh, sh1, &vmax, &vsat), y1 = narrow4(c4_7, sh, sh1, &vmax, &vsat);
            __m128i y2 = narrow4(c8_11, sh, sh1, &vmax, &vsat), y3 = narrow4(c12_15, sh, sh1, &vmax, &vsat);
            _mm_storeu_si128((__m128i *)(dst + i), _mm_unpacklo_epi64(y0, y1));
            _mm_storeu_si128((__m128i *)(dst + i + 8), _mm_unpacklo_epi64(y2, y3));
            continue;
        }
        _mm256_storeu_si256((__m256i *)(sums + 0), c0_3);
        _mm256_storeu_si256((__m256i *)(sums + 4), c4_7);
        _mm256_storeu_si256((__m256i *)(sums + 8), c8_11);
        _mm256_storeu_si256((__m256i *)(sums + 12), c12_15);
        for (int j = 0; j < 16; j++) dst[i + j] = et_q_narrow(sums[j], shift, max, sat);
    }
    for (int i = w16; i < width; i++) {
        int64_t acc = 0;
        for (int k = 0; k < count; k++) acc += (int32_t)c[k * cs] * rows[k * rs + i];
        dst[i] = et_q_narrow(acc, shift, max, sat);
    }
    fold_stats(vmax, vsat, max, sat);
    fold_stats32(vmax32, vsat32, max, sat);
}

void et_q16_dense_input_grad__avx2(const int16_t *dy, const int16_t *w, int16_t *dx, int batch, int in, int out, int shift,
                                   int64_t *stats) {
    int64_t steps = et_q_int32_steps(et_q_max_abs(dy, (size_t)batch * out), et_q_max_abs(w, (size_t)out * in), 2);
    if (steps == 0) {
        et_q16_dense_input_grad__ref(dy, w, dx, batch, in, out, shift, stats);
        return;
    }
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) { // dX[r] = Σ_o dY[r, o] · W[o]
        axpy_rows_avx2(w, (size_t)in, dy + (size_t)r * out, 1, out, in, dx + (size_t)r * in, shift, steps, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_dense_weight_grad__avx2(const int16_t *dy, const int16_t *x, int16_t *dw, int batch, int in, int out, int shift,
                                    int64_t *stats) {
    int64_t steps = et_q_int32_steps(et_q_max_abs(dy, (size_t)batch * out), et_q_max_abs(x, (size_t)batch * in), 2);
    if (steps == 0) {
        et_q16_dense_weight_grad__ref(dy, x, dw, batch, in, out, shift, stats);
        return;
    }
    int64_t max = stats[0], sat = 0;
    for (int o = 0; o < out; o++) { // dW[o] = Σ_r dY[r, o] · X[r]
        axpy_rows_avx2(x, (size_t)in, dy + o, (size_t)out, batch, in, dw + (size_t)o * in, shift, steps, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

/*
 * The batch-1 fused update (kernels_fixed_neon.c, et_q16_dense_grad_momentum) and the plain momentum step, both in the
 * short form u = h_g + ((a_v + a_p + f_g + r) >> 16) that the caller has proven exact (q_fast_terms), 8 weights per
 * iteration. gcc's own vectorization of the C loop spills: 15 instructions per weight against about 7 here.
 * Statistics as everywhere: the largest magnitude before saturation, and the saturations, counted as lanes the clamp
 * changed. Returns how many leading elements of each row it did (a multiple of 8); the caller's C loop does the rest.
 */
static inline __m256i q_load8(const int16_t *a) {
    return _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)a));
}

static inline void q_store8(int16_t *a, __m256i v) {  // v already in int16 range
    _mm_storeu_si128((__m128i *)a, _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
}

/* records |u| and whether the clamp changes it (equal lanes counted in *eq); returns the clamped value */
static inline __m256i q_clamp_stat(__m256i u, __m256i *vmax, __m256i *eq) {
    *vmax = _mm256_max_epi32(*vmax, _mm256_abs_epi32(u));
    __m256i c = _mm256_min_epi32(_mm256_max_epi32(u, _mm256_set1_epi32(INT16_MIN)), _mm256_set1_epi32(INT16_MAX));
    *eq = _mm256_sub_epi32(*eq, _mm256_cmpeq_epi32(c, u));
    return c;
}

static inline int32_t q_hmax(__m256i v) {
    __m128i m = _mm_max_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    m = _mm_max_epi32(m, _mm_shuffle_epi32(m, 0x4E));
    m = _mm_max_epi32(m, _mm_shuffle_epi32(m, 0xB1));
    return _mm_cvtsi128_si32(m);
}

static inline int32_t q_hsum(__m256i v) {
    __m128i m = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    m = _mm_add_epi32(m, _mm_shuffle_epi32(m, 0x4E));
    m = _mm_add_epi32(m, _mm_shuffle_epi32(m, 0xB1));
    return _mm_cvtsi128_si32(m);
}

static inline int q_update_avx2(const int16_t *src, const int16_t *dy, int fused, int g_shift, int16_t *p, int16_t *v, int rows, int in,
                                const q_update_terms *k, uint32_t key, const int stochastic, const int decay, int32_t *st) {
    int n8 = in & ~7;
    if (n8 == 0) return 0;
    const __m256i VM = _mm256_set1_epi32(k->VM), GM = _mm256_set1_epi32(k->GM), PM = _mm256_set1_epi32(k->PM),
                  LM = _mm256_set1_epi32(k->LM), keyv = _mm256_set1_epi32((int32_t)key),
                  half = _mm256_set1_epi32(g_shift >= 1 ? 1 << (g_shift - 1) : 0), lo16 = _mm256_set1_epi32(0xFFFF),
                  nearest = _mm256_set1_epi32(ET_Q_HALF), step = _mm256_set1_epi32((int32_t)(8u * 0x9E3779B9u)),
                  lanes = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int32_t)0x9E3779B9u));
    const __m128i SV = _mm_cvtsi32_si128(k->SV), HS = _mm_cvtsi32_si128(k->HS), FR = _mm_cvtsi32_si128(k->FR), FL = _mm_cvtsi32_si128(k->FL),
                  SP = _mm_cvtsi32_si128(k->SP), SL = _mm_cvtsi32_si128(k->SL), GS = _mm_cvtsi32_si128(g_shift);
    __m256i zero = _mm256_setzero_si256(), mv = zero, ev = zero, mp = zero, ep = zero;
    for (int o = 0; o < rows; o++) {
        size_t at = (size_t)o * in;
        const __m256i dv = _mm256_set1_epi32(fused ? dy[o] : 0);
        const int16_t *xs = fused ? src : src + at;
        int16_t *pr = p + at, *vr = v + at;
        __m256i idx = _mm256_add_epi32(_mm256_set1_epi32((int32_t)((uint32_t)at * 0x9E3779B9u)), lanes);  // (at + lane)·C
        for (int i = 0; i < n8; i += 8) {
            __m256i g;
            if (fused) {  // g = narrow(d·x, shift); shift ≤ 30, so t + half cannot overflow
                __m256i t = _mm256_mullo_epi32(dv, q_load8(xs + i));
                g = _mm256_sra_epi32(_mm256_add_epi32(t, half), GS);  // the caller proved it in int16 range
            } else {
                g = q_load8(xs + i);
            }
            __m256i pv = q_load8(pr + i);
            __m256i h = _mm256_xor_si256(keyv, idx);
            idx = _mm256_add_epi32(idx, step);
            h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
            h = _mm256_mullo_epi32(h, _mm256_set1_epi32((int32_t)0x85EBCA6Bu));
            h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 13));
            h = _mm256_mullo_epi32(h, _mm256_set1_epi32((int32_t)0xC2B2AE35u));
            h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
            __m256i rv = stochastic ? _mm256_and_si256(h, lo16) : nearest, rp = stochastic ? _mm256_srli_epi32(h, 16) : nearest;
            __m256i tg = _mm256_mullo_epi32(g, GM);
            __m256i fg = _mm256_and_si256(_mm256_sll_epi32(_mm256_sra_epi32(tg, FR), FL), lo16);
            __m256i sum = _mm256_add_epi32(_mm256_sra_epi32(_mm256_mullo_epi32(q_load8(vr + i), VM), SV), _mm256_add_epi32(fg, rv));
            if (decay) sum = _mm256_add_epi32(sum, _mm256_sra_epi32(_mm256_mullo_epi32(pv, PM), SP));
            __m256i u = _mm256_add_epi32(_mm256_sra_epi32(tg, HS), _mm256_srai_epi32(sum, 16));
            __m256i nv = q_clamp_stat(u, &mv, &ev);  // v = μ·v + g + wd·p
            q_store8(vr + i, nv);
            __m256i dlt = _mm256_srai_epi32(_mm256_add_epi32(_mm256_sra_epi32(_mm256_mullo_epi32(nv, LM), SL), rp), 16);
            q_store8(pr + i, q_clamp_stat(_mm256_sub_epi32(pv, dlt), &mp, &ep));  // p −= lr·v
        }
    }
    int32_t m = q_hmax(mv), done = n8 * rows;
    st[2] = m > st[2] ? m : st[2];
    st[3] += done - q_hsum(ev);
    m = q_hmax(mp);
    st[4] = m > st[4] ? m : st[4];
    st[5] += done - q_hsum(ep);
    return n8;
}

int et_q16_fused_rows__avx2(const int16_t *x, const int16_t *dy, int shift, int16_t *p, int16_t *v, int rows, int in,
                            const q_update_terms *k, uint32_t key, int stochastic, int decay, int32_t *st) {
    if (shift < 1 || shift > 30) return 0;
    if (stochastic) {
        return decay ? q_update_avx2(x, dy, 1, shift, p, v, rows, in, k, key, 1, 1, st) : q_update_avx2(x, dy, 1, shift, p, v, rows, in, k, key, 1, 0, st);
    }
    return decay ? q_update_avx2(x, dy, 1, shift, p, v, rows, in, k, key, 0, 1, st) : q_update_avx2(x, dy, 1, shift, p, v, rows, in, k, key, 0, 0, st);
}

int et_q16_momentum_row__avx2(const int16_t *g, int16_t *p, int16_t *v, int n, const q_update_terms *k, uint32_t key, int stochastic,
                              int decay, int32_t *st) {
    if (stochastic) {
        return decay ? q_update_avx2(g, NULL, 0, 0, p, v, 1, n, k, key, 1, 1, st) : q_update_avx2(g, NULL, 0, 0, p, v, 1, n, k, key, 1, 0, st);
    }
    return decay ? q_update_avx2(g, NULL, 0, 0, p, v, 1, n, k, key, 0, 1, st) : q_update_avx2(g, NULL, 0, 0, p, v, 1, n, k, key, 0, 0, st);
}
#else
typedef int et_q16_avx2_unused; /* ISO C wants a declaration in every translation unit */
#endif
