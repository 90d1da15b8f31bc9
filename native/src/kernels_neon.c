/*
 * The NEON kernels (suffix __neon), written once with arm_neon.h intrinsics. On x86-64 the same source builds through
 * SIMDe, which maps the intrinsics to SSE/AVX2/FMA. Three paths, selected in kernels_internal.h:
 *   AArch64 and x86-64 (ET_A64): vdivq/vsqrtq, vpaddq, float64x2 vectors;
 *   ARMv7 NEON-VFPv4 (armhf): reciprocal/rsqrt estimates refined by Newton-Raphson, float32x2 pairwise adds,
 *   float partial sums for the sum of squares.
 *
 * Agreement with the Java reference (JavaKernels) and kernels_ref.c:
 *   - bit for bit on AArch64 and x86-64: leaky ReLU, sigmoid/tanh backward, bias grad, SGD, momentum, Adam, RMSprop,
 *     sum of squares (same eight double accumulators), scale, clamp; on ARMv7 the same except that NEON flushes
 *     subnormals to zero and Adam/RMSprop divide and take square roots through refined estimates (~2 ulp);
 *   - within a tolerance that scales with the reduction length: the dense products (vector accumulators, fused
 *     multiply-add), softmax and its cross-entropy (vector sums; exp below);
 *   - within a few ulp: sigmoid, tanh and the exponentials of softmax, from the vector exp below (≤ ~2 ulp), where
 *     Java rounds double results. Results below 2^-126 may flush to zero.
 * The build uses -ffp-contract=off so that vmulq + vaddq are never fused behind our back.
 */
#include "glibc_compat.h"
#include "edgetrain_kernels.h"
#include "kernels_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ET_INLINE static inline __attribute__((always_inline))

/* ------------------------------------------------------------------------------------------------------------------
 * Helpers over the three paths
 * ---------------------------------------------------------------------------------------------------------------- */

/* a / b: IEEE division on A64/x86; reciprocal estimate + 2 Newton-Raphson steps on ARMv7 (~2 ulp). */
ET_INLINE float32x4_t et_div(float32x4_t a, float32x4_t b) {
#if ET_SIMDE
    return _mm_div_ps(a, b);  // SIMDe 0.7 has no vdivq_f32
#elif ET_A64
    return vdivq_f32(a, b);
#else
    float32x4_t r = vrecpeq_f32(b);
    r = vmulq_f32(vrecpsq_f32(b, r), r);
    r = vmulq_f32(vrecpsq_f32(b, r), r);
    return vmulq_f32(a, r);
#endif
}

/* √x: IEEE on A64/x86; x·rsqrt(x) with 2 Newton-Raphson steps on ARMv7 (~2 ulp; exact for 0 and +inf). */
ET_INLINE float32x4_t et_sqrt(float32x4_t x) {
#if ET_SIMDE
    return _mm_sqrt_ps(x);
#elif ET_A64
    return vsqrtq_f32(x);
#else
    float32x4_t r = vrsqrteq_f32(x);
    r = vmulq_f32(r, vrsqrtsq_f32(vmulq_f32(x, r), r));
    r = vmulq_f32(r, vrsqrtsq_f32(vmulq_f32(x, r), r));
    float32x4_t s = vmulq_f32(x, r);
    uint32x4_t keep = vorrq_u32(vceqq_f32(x, vdupq_n_f32(0.0f)), vceqq_f32(x, vdupq_n_f32(INFINITY)));
    return vbslq_f32(keep, x, s);
#endif
}

/* (v0 + v1) + (v2 + v3) of each of four vectors, in lanes 0..3; the single-vector sum below uses the same order, so an
 * output reduced alone or with three others gets the same bits. */
ET_INLINE float32x4_t et_hsum4(float32x4_t a, float32x4_t b, float32x4_t c, float32x4_t d) {
#if ET_A64
    return vpaddq_f32(vpaddq_f32(a, b), vpaddq_f32(c, d));
#else
    float32x2_t ab = vpadd_f32(vpadd_f32(vget_low_f32(a), vget_high_f32(a)), vpadd_f32(vget_low_f32(b), vget_high_f32(b)));
    float32x2_t cd = vpadd_f32(vpadd_f32(vget_low_f32(c), vget_high_f32(c)), vpadd_f32(vget_low_f32(d), vget_high_f32(d)));
    return vcombine_f32(ab, cd);
#endif
}

ET_INLINE float et_hsum(float32x4_t a) {
#if ET_A64
    float32x4_t p = vpaddq_f32(a, a);
    return vgetq_lane_f32(vpaddq_f32(p, p), 0);
#else
    float32x2_t p = vpadd_f32(vget_low_f32(a), vget_high_f32(a));
    return vget_lane_f32(vpadd_f32(p, p), 0);
#endif
}

/* Java's Math.max for floats in the scalar tails: NaN wins (the vector vmaxq_f32 also propagates NaN). */
ET_INLINE float et_maxf(float m, float v) {
    return (v != v || v > m) ? v : m;
}

ET_INLINE float et_hmax(float32x4_t v) {
    float t[4];
    vst1q_f32(t, v);
    float m = t[0];
    for (int k = 1; k < 4; k++) m = (m != m) ? m : et_maxf(m, t[k]);
    return m;
}

/* Loads n < 4 floats into the low lanes, the rest `fill`; stores the low n lanes back. For the tails of elementwise
 * kernels, so every element goes through the same vector formula. */
ET_INLINE float32x4_t et_load_part(const float *p, int n, float fill) {
    float t[4] = {fill, fill, fill, fill};
    for (int k = 0; k < n; k++) t[k] = p[k];
    return vld1q_f32(t);
}

ET_INLINE void et_store_part(float *p, int n, float32x4_t v) {
    float t[4];
    vst1q_f32(t, v);
    for (int k = 0; k < n; k++) p[k] = t[k];
}

/*
 * e^x for x ≤ 0 (Cephes expf): x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, times 2^n built in the
 * exponent bits. Max error ~1 ulp on [−87.3, 0]; 0 below −87.33654 (where e^x < 2^-126) and for −inf; NaN stays NaN.
 * Positive x is not supported (never needed: softmax takes x − max, sigmoid −|x|, tanh −2|x|).
 */
ET_INLINE float32x4_t et_exp_nonpos(float32x4_t x) {
    const float32x4_t magic = vdupq_n_f32(12582912.0f);  // 1.5·2^23: adding it rounds to an integer in the low bits
    float32x4_t t = vaddq_f32(vmulq_f32(x, vdupq_n_f32(1.44269504088896341f)), magic);
    float32x4_t n = vsubq_f32(t, magic);
    float32x4_t r = vfmaq_f32(x, n, vdupq_n_f32(-0.693359375f));  // r = x − n·ln2 in two parts (Cody-Waite)
    r = vfmaq_f32(r, n, vdupq_n_f32(2.12194440e-4f));
    float32x4_t p = vdupq_n_f32(1.9875691500e-4f);
    p = vfmaq_f32(vdupq_n_f32(1.3981999507e-3f), p, r);
    p = vfmaq_f32(vdupq_n_f32(8.3334519073e-3f), p, r);
    p = vfmaq_f32(vdupq_n_f32(4.1665795894e-2f), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.6666665459e-1f), p, r);
    p = vfmaq_f32(vdupq_n_f32(5.0000001201e-1f), p, r);
    float32x4_t y = vaddq_f32(vfmaq_f32(r, p, vmulq_f32(r, r)), vdupq_n_f32(1.0f));  // 1 + r + r²·p(r)
    int32x4_t ni = vsubq_s32(vreinterpretq_s32_f32(t), vreinterpretq_s32_f32(magic));
    int32x4_t scale = vshlq_n_s32(vaddq_s32(ni, vdupq_n_s32(127)), 23);  // 2^n, valid for n ≥ −126
    y = vmulq_f32(y, vreinterpretq_f32_s32(scale));
    uint32x4_t under = vcltq_f32(x, vdupq_n_f32(-87.33654f));
    return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(y), under));
}

/* σ(x) = 1/(1+e^−|x|) for x ≥ 0, e^−|x|/(1+e^−|x|) for x < 0: never e^(+large). */
ET_INLINE float32x4_t et_sigmoid(float32x4_t x) {
    float32x4_t e = et_exp_nonpos(vnegq_f32(vabsq_f32(x)));
    float32x4_t num = vbslq_f32(vcgeq_f32(x, vdupq_n_f32(0.0f)), vdupq_n_f32(1.0f), e);
    return et_div(num, vaddq_f32(vdupq_n_f32(1.0f), e));
}

/* tanh x: odd polynomial for |x| < 0.625 (Cephes tanhf), (1 − e)/(1 + e) with e = e^−2|x| above; sign of x. */
ET_INLINE float32x4_t et_tanh(float32x4_t x) {
    float32x4_t ax = vabsq_f32(x);
    float32x4_t z = vmulq_f32(ax, ax);
    float32x4_t p = vdupq_n_f32(-5.70498872745e-3f);
    p = vfmaq_f32(vdupq_n_f32(2.06390887954e-2f), p, z);
    p = vfmaq_f32(vdupq_n_f32(-5.37397155531e-2f), p, z);
    p = vfmaq_f32(vdupq_n_f32(1.33314422036e-1f), p, z);
    p = vfmaq_f32(vdupq_n_f32(-3.33332819422e-1f), p, z);
    float32x4_t small = vfmaq_f32(ax, vmulq_f32(p, z), ax);
    float32x4_t e = et_exp_nonpos(vmulq_f32(ax, vdupq_n_f32(-2.0f)));
    float32x4_t big = et_div(vsubq_f32(vdupq_n_f32(1.0f), e), vaddq_f32(vdupq_n_f32(1.0f), e));
    float32x4_t mag = vbslq_f32(vcltq_f32(ax, vdupq_n_f32(0.625f)), small, big);
    uint32x4_t sign = vdupq_n_u32(0x80000000u);
    return vbslq_f32(sign, x, mag);  // sign bit from x, magnitude from mag (NaN stays NaN)
}

/* ------------------------------------------------------------------------------------------------------------------
 * Y = X·Wᵀ + b: dot products along `in`, both operands contiguous. A tile of mr rows of X × nr rows of W keeps one
 * float32x4 accumulator per output; each step loads mr + nr vectors for mr·nr FMAs. Per output: 4-lane partial sums
 * over in rounded down to a multiple of 4, reduced (l0+l1)+(l2+l3), then the leftover products in order, then + b.
 * ---------------------------------------------------------------------------------------------------------------- */
/* Named accumulators a<r><c> for r, c < 4 (an array of them is not kept in registers by GCC: it stores every
 * accumulator to the stack on every iteration). Tiles use the first mr × nr; the others stay zero and unused. */
#define ET_REP4(M, r) M(r, 0) M(r, 1) M(r, 2) M(r, 3)
#define ET_REP16(M) ET_REP4(M, 0) ET_REP4(M, 1) ET_REP4(M, 2) ET_REP4(M, 3)
#define ET_DECL_ACC(r, c) float32x4_t a##r##c = vdupq_n_f32(0.0f);

/* One row of a forward tile: lane c of s is the vector partial sum of output c; add the leftover products in order,
 * then the bias, and store nr outputs. */
ET_INLINE void fwd_finish_row(const float *xr, const float *w, const float *b, float *yr, int in, int i, int nr, float32x4_t s) {
    if (i == in && nr == 4) {
        if (b) s = vaddq_f32(s, vld1q_f32(b));
        vst1q_f32(yr, s);
        return;
    }
    float t[4];
    vst1q_f32(t, s);
    for (int c = 0; c < nr; c++) {
        float v = t[c];
        const float *wr = w + (size_t)c * in;
        for (int k = i; k < in; k++) v += xr[k] * wr[k];
        yr[c] = b ? v + b[c] : v;
    }
}

ET_INLINE void fwd_tile(const float *x, const float *w, const float *b, float *y, int in, int out, int mr, int nr) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    ET_REP16(ET_DECL_ACC)
    const float *x0 = x, *x1 = x0 + (mr > 1 ? in : 0), *x2 = x0 + (mr > 2 ? 2 * in : 0), *x3 = x0 + (mr > 3 ? 3 * in : 0);
    const float *w0 = w, *w1 = w0 + (nr > 1 ? in : 0), *w2 = w0 + (nr > 2 ? 2 * in : 0), *w3 = w0 + (nr > 3 ? 3 * in : 0);
    int i = 0;
    for (; i + 4 <= in; i += 4) {
        float32x4_t xv0 = vld1q_f32(x0 + i);
        float32x4_t xv1 = mr > 1 ? vld1q_f32(x1 + i) : zero;
        float32x4_t xv2 = mr > 2 ? vld1q_f32(x2 + i) : zero;
        float32x4_t xv3 = mr > 3 ? vld1q_f32(x3 + i) : zero;
        float32x4_t wv0 = vld1q_f32(w0 + i);
        float32x4_t wv1 = nr > 1 ? vld1q_f32(w1 + i) : zero;
        float32x4_t wv2 = nr > 2 ? vld1q_f32(w2 + i) : zero;
        float32x4_t wv3 = nr > 3 ? vld1q_f32(w3 + i) : zero;
#define STEP(r, c) \
    if (mr > r && nr > c) a##r##c = vfmaq_f32(a##r##c, xv##r, wv##c);
        ET_REP16(STEP)
#undef STEP
    }
    fwd_finish_row(x0, w, b, y, in, i, nr, et_hsum4(a00, a01, a02, a03));
    if (mr > 1) fwd_finish_row(x1, w, b, y + out, in, i, nr, et_hsum4(a10, a11, a12, a13));
    if (mr > 2) fwd_finish_row(x2, w, b, y + 2 * (size_t)out, in, i, nr, et_hsum4(a20, a21, a22, a23));
    if (mr > 3) fwd_finish_row(x3, w, b, y + 3 * (size_t)out, in, i, nr, et_hsum4(a30, a31, a32, a33));
}

/* One row of X against 8 rows of W (batch 1): 8 independent chains; per output exactly fwd_tile's sequence. */
static void fwd_row8(const float *x, const float *w, const float *b, float *y, int in) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    float32x4_t a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
    const float *w0 = w, *w1 = w0 + in, *w2 = w1 + in, *w3 = w2 + in, *w4 = w3 + in, *w5 = w4 + in, *w6 = w5 + in, *w7 = w6 + in;
    int i = 0;
    for (; i + 4 <= in; i += 4) {
        float32x4_t xv = vld1q_f32(x + i);
        a0 = vfmaq_f32(a0, xv, vld1q_f32(w0 + i));
        a1 = vfmaq_f32(a1, xv, vld1q_f32(w1 + i));
        a2 = vfmaq_f32(a2, xv, vld1q_f32(w2 + i));
        a3 = vfmaq_f32(a3, xv, vld1q_f32(w3 + i));
        a4 = vfmaq_f32(a4, xv, vld1q_f32(w4 + i));
        a5 = vfmaq_f32(a5, xv, vld1q_f32(w5 + i));
        a6 = vfmaq_f32(a6, xv, vld1q_f32(w6 + i));
        a7 = vfmaq_f32(a7, xv, vld1q_f32(w7 + i));
    }
    fwd_finish_row(x, w, b, y, in, i, 4, et_hsum4(a0, a1, a2, a3));
    fwd_finish_row(x, w4, b ? b + 4 : NULL, y + 4, in, i, 4, et_hsum4(a4, a5, a6, a7));
}

#define FWD_TILE(MR, NR)                                                                                     \
    static void fwd_tile_##MR##x##NR(const float *x, const float *w, const float *b, float *y, int in, int out) { \
        fwd_tile(x, w, b, y, in, out, MR, NR);                                                               \
    }
#define FWD_TILES_ROW(MR) FWD_TILE(MR, 1) FWD_TILE(MR, 2) FWD_TILE(MR, 3) FWD_TILE(MR, 4)
FWD_TILES_ROW(1)
FWD_TILES_ROW(2)
#if ET_FWD_MR >= 3
FWD_TILES_ROW(3)
#endif
#if ET_FWD_MR >= 4
FWD_TILES_ROW(4)
#endif
#if ET_FWD_MR > 4 || ET_FWD_NR != 4
#error "forward tiles are instantiated for FWD_MR ≤ 4 and FWD_NR = 4"
#endif

typedef void (*fwd_tile_fn)(const float *, const float *, const float *, float *, int, int);
static const fwd_tile_fn fwd_tiles[ET_FWD_MR][4] = {
    {fwd_tile_1x1, fwd_tile_1x2, fwd_tile_1x3, fwd_tile_1x4},
    {fwd_tile_2x1, fwd_tile_2x2, fwd_tile_2x3, fwd_tile_2x4},
#if ET_FWD_MR >= 3
    {fwd_tile_3x1, fwd_tile_3x2, fwd_tile_3x3, fwd_tile_3x4},
#endif
#if ET_FWD_MR >= 4
    {fwd_tile_4x1, fwd_tile_4x2, fwd_tile_4x3, fwd_tile_4x4},
#endif
};

void et_dense_forward_rows__neon(const float *x, const float *w, const float *b, float *y, int batch, int in, int out,
                                 int b0, int b1, int o0, int o1) {
    (void)batch;
    if (b1 - b0 == 1) { // one row of X: 8 rows of W at a time, then the usual tiles
        int o = o0;
        for (; o + 8 <= o1; o += 8) fwd_row8(x + (size_t)b0 * in, w + (size_t)o * in, b ? b + o : NULL, y + (size_t)b0 * out + o, in);
        o0 = o;
    }
    // W tile (NR rows) outer so it stays in L1 while the rows of X stream past it
    for (int o = o0; o < o1; o += ET_FWD_NR) {
        int nr = o1 - o < ET_FWD_NR ? o1 - o : ET_FWD_NR;
        const float *wt = w + (size_t)o * in;
        const float *bt = b ? b + o : NULL;
        int s = b0;
        for (; s + ET_FWD_MR <= b1; s += ET_FWD_MR)
            fwd_tiles[ET_FWD_MR - 1][nr - 1](x + (size_t)s * in, wt, bt, y + (size_t)s * out + o, in, out);
        if (s < b1) fwd_tiles[b1 - s - 1][nr - 1](x + (size_t)s * in, wt, bt, y + (size_t)s * out + o, in, out);
    }
}

void et_f32_dense_forward__neon(const float *x, const float *w, const float *b, float *y, int batch, int in, int out) {
    et_dense_forward_rows__neon(x, w, b, y, batch, in, out, 0, batch, 0, out);
}

/* ------------------------------------------------------------------------------------------------------------------
 * dX = dY·W, axpy form: a tile of mr rows of dX × nv vectors of 4 columns is held in registers while o runs over
 * `out`: acc[r][c] += dY[r, o] · W[o, 4c..4c+3], then stored once. Per value: Σ_o fused multiply-adds in order from 0.
 * The last in % 4 columns: the same sum with scalar fmaf, in the same order (so the same bits as a vector lane).
 * ---------------------------------------------------------------------------------------------------------------- */
ET_INLINE void dx_tile(const float *dy, const float *w, float *dx, int in, int out, int mr, int nv) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    ET_REP16(ET_DECL_ACC)
    for (int o = 0; o < out; o++) {
        const float *wr = w + (size_t)o * in;
        float32x4_t wv0 = vld1q_f32(wr);
        float32x4_t wv1 = nv > 1 ? vld1q_f32(wr + 4) : zero;
        float32x4_t wv2 = nv > 2 ? vld1q_f32(wr + 8) : zero;
        float32x4_t wv3 = nv > 3 ? vld1q_f32(wr + 12) : zero;
        float32x4_t g0 = vdupq_n_f32(dy[o]);
        float32x4_t g1 = mr > 1 ? vdupq_n_f32(dy[(size_t)out + o]) : zero;
        float32x4_t g2 = mr > 2 ? vdupq_n_f32(dy[2 * (size_t)out + o]) : zero;
        float32x4_t g3 = mr > 3 ? vdupq_n_f32(dy[3 * (size_t)out + o]) : zero;
#define STEP(r, c) \
    if (mr > r && nv > c) a##r##c = vfmaq_f32(a##r##c, g##r, wv##c);
        ET_REP16(STEP)
#undef STEP
    }
#define STORE(r, c) \
    if (mr > r && nv > c) vst1q_f32(dx + (size_t)r * in + 4 * c, a##r##c);
    ET_REP16(STORE)
#undef STORE
}

#define DX_TILE(MR, NV) \
    static void dx_tile_##MR##x##NV(const float *dy, const float *w, float *dx, int in, int out) { dx_tile(dy, w, dx, in, out, MR, NV); }
#define DX_TILES_ROW(MR) DX_TILE(MR, 1) DX_TILE(MR, 2) DX_TILE(MR, 3) DX_TILE(MR, 4)
DX_TILES_ROW(1)
DX_TILES_ROW(2)
#if ET_DX_MR >= 3
DX_TILES_ROW(3)
#endif
#if ET_DX_MR >= 4
DX_TILES_ROW(4)
#endif
#if ET_DX_MR > 4 || ET_DX_NV > 4
#error "input-grad tiles are instantiated up to 4x4"
#endif

typedef void (*dx_tile_fn)(const float *, const float *, float *, int, int);
static const dx_tile_fn dx_tiles[ET_DX_MR][4] = {
    {dx_tile_1x1, dx_tile_1x2, dx_tile_1x3, dx_tile_1x4},
    {dx_tile_2x1, dx_tile_2x2, dx_tile_2x3, dx_tile_2x4},
#if ET_DX_MR >= 3
    {dx_tile_3x1, dx_tile_3x2, dx_tile_3x3, dx_tile_3x4},
#endif
#if ET_DX_MR >= 4
    {dx_tile_4x1, dx_tile_4x2, dx_tile_4x3, dx_tile_4x4},
#endif
};

/* One row of dX, 8 vectors (32 columns) at a time (batch 1): 8 chains; per value exactly dx_tile's sequence. */
static void dx_row8(const float *dy, const float *w, float *dx, int in, int out) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    float32x4_t a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
    for (int o = 0; o < out; o++) {
        const float *wr = w + (size_t)o * in;
        float32x4_t g = vdupq_n_f32(dy[o]);
        a0 = vfmaq_f32(a0, g, vld1q_f32(wr));
        a1 = vfmaq_f32(a1, g, vld1q_f32(wr + 4));
        a2 = vfmaq_f32(a2, g, vld1q_f32(wr + 8));
        a3 = vfmaq_f32(a3, g, vld1q_f32(wr + 12));
        a4 = vfmaq_f32(a4, g, vld1q_f32(wr + 16));
        a5 = vfmaq_f32(a5, g, vld1q_f32(wr + 20));
        a6 = vfmaq_f32(a6, g, vld1q_f32(wr + 24));
        a7 = vfmaq_f32(a7, g, vld1q_f32(wr + 28));
    }
    vst1q_f32(dx, a0);
    vst1q_f32(dx + 4, a1);
    vst1q_f32(dx + 8, a2);
    vst1q_f32(dx + 12, a3);
    vst1q_f32(dx + 16, a4);
    vst1q_f32(dx + 20, a5);
    vst1q_f32(dx + 24, a6);
    vst1q_f32(dx + 28, a7);
}

/* The last nc < 4 columns of mr ≤ DX_MR rows: scalar fused multiply-adds in the order of the vector lanes. */
static void dx_tail(const float *dy, const float *w, float *dx, int in, int out, int mr, int nc) {
    float acc[ET_DX_MR][3] = {{0.0f}};
    for (int o = 0; o < out; o++) {
        const float *wr = w + (size_t)o * in;
        for (int r = 0; r < mr; r++) {
            float g = dy[(size_t)r * out + o];
            for (int c = 0; c < nc; c++) acc[r][c] = fmaf(g, wr[c], acc[r][c]);
        }
    }
    for (int r = 0; r < mr; r++)
        for (int c = 0; c < nc; c++) dx[(size_t)r * in + c] = acc[r][c];
}

/* Rows [b0, b1) × columns [i0, i1) of dX. Every value gets the same sequence (Σ_o fused, in order, from 0) whether it
 * falls in a row kernel, a tile or the scalar tail, so any split of rows or columns gives the same bits. */
void et_dense_input_grad_rows__neon(const float *dy, const float *w, float *dx, int in, int out, int b0, int b1, int i0, int i1) {
    // column panel of W outer (out × 4·NV floats, stays in L1), row tiles of dX inner
    int i = i0;
    if (b1 - b0 == 1) // one row of dX: 32 columns at a time first
        for (; i + 32 <= i1; i += 32) dx_row8(dy + (size_t)b0 * out, w + i, dx + (size_t)b0 * in + i, in, out);
    while (i < i1) {
        int nv = (i1 - i) / 4 < ET_DX_NV ? (i1 - i) / 4 : ET_DX_NV;
        for (int s = b0; s < b1; s += ET_DX_MR) {
            int mr = b1 - s < ET_DX_MR ? b1 - s : ET_DX_MR;
            const float *g = dy + (size_t)s * out;
            float *d = dx + (size_t)s * in + i;
            if (nv > 0) dx_tiles[mr - 1][nv - 1](g, w + i, d, in, out);
            else dx_tail(g, w + i, d, in, out, mr, i1 - i);
        }
        i += nv > 0 ? 4 * nv : i1 - i;
    }
}

void et_f32_dense_input_grad__neon(const float *dy, const float *w, float *dx, int batch, int in, int out) {
    et_dense_input_grad_rows__neon(dy, w, dx, in, out, 0, batch, 0, in);
}

/* ------------------------------------------------------------------------------------------------------------------
 * dW += dYᵀ·X, axpy form: a tile of mr rows of dW × nv vectors of 4 columns accumulates Σ_s dY[s, o] · X[s, cols]
 * (fused, in order of s, from 0) in registers, then is added to dW once: dW_new = dW_old + Σ.
 * ---------------------------------------------------------------------------------------------------------------- */
ET_INLINE void dw_tile(const float *dy, const float *x, float *dw, int batch, int in, int out, int mr, int nv, int accumulate) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    ET_REP16(ET_DECL_ACC)
    for (int s = 0; s < batch; s++) {
        const float *xr = x + (size_t)s * in;
        const float *g = dy + (size_t)s * out;
        float32x4_t xv0 = vld1q_f32(xr);
        float32x4_t xv1 = nv > 1 ? vld1q_f32(xr + 4) : zero;
        float32x4_t xv2 = nv > 2 ? vld1q_f32(xr + 8) : zero;
        float32x4_t xv3 = nv > 3 ? vld1q_f32(xr + 12) : zero;
        float32x4_t g0 = vdupq_n_f32(g[0]);
        float32x4_t g1 = mr > 1 ? vdupq_n_f32(g[1]) : zero;
        float32x4_t g2 = mr > 2 ? vdupq_n_f32(g[2]) : zero;
        float32x4_t g3 = mr > 3 ? vdupq_n_f32(g[3]) : zero;
#define STEP(r, c) \
    if (mr > r && nv > c) a##r##c = vfmaq_f32(a##r##c, g##r, xv##c);
        ET_REP16(STEP)
#undef STEP
    }
#define STORE(r, c) \
    if (mr > r && nv > c) \
        vst1q_f32(dw + (size_t)r * in + 4 * c, vaddq_f32(accumulate ? vld1q_f32(dw + (size_t)r * in + 4 * c) : zero, a##r##c));
    ET_REP16(STORE)
#undef STORE
}

#define DW_TILE(MR, NV)                                                                                  \
    static void dw_tile_##MR##x##NV(const float *dy, const float *x, float *dw, int batch, int in, int out, int accumulate) { \
        dw_tile(dy, x, dw, batch, in, out, MR, NV, accumulate);                                          \
    }
#define DW_TILES_ROW(MR) DW_TILE(MR, 1) DW_TILE(MR, 2) DW_TILE(MR, 3) DW_TILE(MR, 4)
DW_TILES_ROW(1)
DW_TILES_ROW(2)
#if ET_DW_MR >= 3
DW_TILES_ROW(3)
#endif
#if ET_DW_MR >= 4
DW_TILES_ROW(4)
#endif
#if ET_DW_MR > 4 || ET_DW_NV > 4
#error "weight-grad tiles are instantiated up to 4x4"
#endif

typedef void (*dw_tile_fn)(const float *, const float *, float *, int, int, int, int);
static const dw_tile_fn dw_tiles[ET_DW_MR][4] = {
    {dw_tile_1x1, dw_tile_1x2, dw_tile_1x3, dw_tile_1x4},
    {dw_tile_2x1, dw_tile_2x2, dw_tile_2x3, dw_tile_2x4},
#if ET_DW_MR >= 3
    {dw_tile_3x1, dw_tile_3x2, dw_tile_3x3, dw_tile_3x4},
#endif
#if ET_DW_MR >= 4
    {dw_tile_4x1, dw_tile_4x2, dw_tile_4x3, dw_tile_4x4},
#endif
};

static void dw_tail(const float *dy, const float *x, float *dw, int batch, int in, int out, int mr, int nc, int accumulate) {
    float acc[ET_DW_MR][3] = {{0.0f}};
    for (int s = 0; s < batch; s++) {
        const float *xr = x + (size_t)s * in;
        const float *g = dy + (size_t)s * out;
        for (int r = 0; r < mr; r++)
            for (int c = 0; c < nc; c++) acc[r][c] = fmaf(g[r], xr[c], acc[r][c]);
    }
    for (int r = 0; r < mr; r++)
        for (int c = 0; c < nc; c++) dw[(size_t)r * in + c] = (accumulate ? dw[(size_t)r * in + c] : 0.0f) + acc[r][c];
}

/* Batch 1: dW[o, :] += dY[o] · X[0, :] row by row, streaming through dW once (the tiles below walk it in column panels,
 * touching each cache line several times: 2.5x slower at 64×128). Each value is dw + round(g·x), the same bits as a
 * tile's dw + fma(g, x, 0). */
static void dw_rows_batch1(const float *dy, const float *x, float *dw, int in, int o0, int o1, int accumulate) {
    if (!accumulate) { /* dW = 0 + round(g·x): written without being read */
        const float32x4_t zero = vdupq_n_f32(0.0f);
        for (int o = o0; o < o1; o++) {
            float32x4_t g = vdupq_n_f32(dy[o]);
            float *d = dw + (size_t)o * in;
            int i = 0;
            for (; i + 8 <= in; i += 8) {
                vst1q_f32(d + i, vaddq_f32(zero, vmulq_f32(g, vld1q_f32(x + i))));
                vst1q_f32(d + i + 4, vaddq_f32(zero, vmulq_f32(g, vld1q_f32(x + i + 4))));
            }
            for (; i + 4 <= in; i += 4) vst1q_f32(d + i, vaddq_f32(zero, vmulq_f32(g, vld1q_f32(x + i))));
            for (; i < in; i++) {
                float prod = dy[o] * x[i];
                d[i] = 0.0f + prod;
            }
        }
        return;
    }
    for (int o = o0; o < o1; o++) {
        float32x4_t g = vdupq_n_f32(dy[o]);
        float *d = dw + (size_t)o * in;
        int i = 0;
        for (; i + 16 <= in; i += 16) {
            float32x4_t d0 = vaddq_f32(vld1q_f32(d + i), vmulq_f32(g, vld1q_f32(x + i)));
            float32x4_t d1 = vaddq_f32(vld1q_f32(d + i + 4), vmulq_f32(g, vld1q_f32(x + i + 4)));
            float32x4_t d2 = vaddq_f32(vld1q_f32(d + i + 8), vmulq_f32(g, vld1q_f32(x + i + 8)));
            float32x4_t d3 = vaddq_f32(vld1q_f32(d + i + 12), vmulq_f32(g, vld1q_f32(x + i + 12)));
            vst1q_f32(d + i, d0);
            vst1q_f32(d + i + 4, d1);
            vst1q_f32(d + i + 8, d2);
            vst1q_f32(d + i + 12, d3);
        }
        for (; i + 4 <= in; i += 4) vst1q_f32(d + i, vaddq_f32(vld1q_f32(d + i), vmulq_f32(g, vld1q_f32(x + i))));
        for (; i < in; i++) {
            float prod = dy[o] * x[i];
            d[i] += prod;
        }
    }
}

void et_dense_weight_grad_rows__neon(const float *dy, const float *x, float *dw, int batch, int in, int out, int o0, int o1,
                                     int accumulate) {
    if (batch == 1) {
        dw_rows_batch1(dy, x, dw, in, o0, o1, accumulate);
        return;
    }
    // column panel of X outer (batch × 4·NV floats, stays in L1), row tiles of dW inner
    int i = 0;
    while (i < in) {
        int nv = (in - i) / 4 < ET_DW_NV ? (in - i) / 4 : ET_DW_NV;
        for (int o = o0; o < o1; o += ET_DW_MR) {
            int mr = o1 - o < ET_DW_MR ? o1 - o : ET_DW_MR;
            float *d = dw + (size_t)o * in + i;
            if (nv > 0) dw_tiles[mr - 1][nv - 1](dy + o, x + i, d, batch, in, out, accumulate);
            else dw_tail(dy + o, x + i, d, batch, in, out, mr, in - i, accumulate);
        }
        i += nv > 0 ? 4 * nv : in - i;
    }
}

void et_f32_dense_weight_grad__neon(const float *dy, const float *x, float *dw, int batch, int in, int out, int accumulate) {
    et_dense_weight_grad_rows__neon(dy, x, dw, batch, in, out, 0, out, accumulate);
}

/* db += Σ_s dY[s, :]: each value is db + dY[0] + dY[1] + … in order, as in Java (bit for bit). */
void et_f32_bias_grad__neon(const float *dy, float *db, int batch, int out, int accumulate) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    int o = 0;
    for (; o + 16 <= out; o += 16) {
        float32x4_t a0 = accumulate ? vld1q_f32(db + o) : zero, a1 = accumulate ? vld1q_f32(db + o + 4) : zero;
        float32x4_t a2 = accumulate ? vld1q_f32(db + o + 8) : zero, a3 = accumulate ? vld1q_f32(db + o + 12) : zero;
        for (int s = 0; s < batch; s++) {
            const float *g = dy + (size_t)s * out + o;
            a0 = vaddq_f32(a0, vld1q_f32(g));
            a1 = vaddq_f32(a1, vld1q_f32(g + 4));
            a2 = vaddq_f32(a2, vld1q_f32(g + 8));
            a3 = vaddq_f32(a3, vld1q_f32(g + 12));
        }
        vst1q_f32(db + o, a0);
        vst1q_f32(db + o + 4, a1);
        vst1q_f32(db + o + 8, a2);
        vst1q_f32(db + o + 12, a3);
    }
    for (; o + 4 <= out; o += 4) {
        float32x4_t a = accumulate ? vld1q_f32(db + o) : zero;
        for (int s = 0; s < batch; s++) a = vaddq_f32(a, vld1q_f32(dy + (size_t)s * out + o));
        vst1q_f32(db + o, a);
    }
    for (; o < out; o++) {
        float a = accumulate ? db[o] : 0.0f;
        for (int s = 0; s < batch; s++) a += dy[(size_t)s * out + o];
        db[o] = a;
    }
}

/* ------------------------------------------------------------------------------------------------------------------
 * Activations
 * ---------------------------------------------------------------------------------------------------------------- */
void et_f32_leaky_relu_forward__neon(const float *x, float *y, int n, float slope) {
    const float32x4_t zero = vdupq_n_f32(0.0f), sl = vdupq_n_f32(slope);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t v = vld1q_f32(x + i);
        vst1q_f32(y + i, vbslq_f32(vcgtq_f32(v, zero), v, vmulq_f32(sl, v)));
    }
    for (; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

void et_f32_leaky_relu_backward__neon(const float *x, const float *dy, float *dx, int n, float slope) {
    const float32x4_t zero = vdupq_n_f32(0.0f), sl = vdupq_n_f32(slope);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t g = vld1q_f32(dy + i);
        vst1q_f32(dx + i, vbslq_f32(vcgtq_f32(vld1q_f32(x + i), zero), g, vmulq_f32(sl, g)));
    }
    for (; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i];
}

void et_f32_sigmoid_forward__neon(const float *x, float *y, int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(y + i, et_sigmoid(vld1q_f32(x + i)));
    if (i < n) et_store_part(y + i, n - i, et_sigmoid(et_load_part(x + i, n - i, 0.0f)));
}

void et_f32_sigmoid_backward__neon(const float *y, const float *dy, float *dx, int n) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t s = vld1q_f32(y + i);
        vst1q_f32(dx + i, vmulq_f32(vmulq_f32(vld1q_f32(dy + i), s), vsubq_f32(one, s)));  // dy·σ·(1−σ)
    }
    for (; i < n; i++) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

void et_f32_tanh_forward__neon(const float *x, float *y, int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(y + i, et_tanh(vld1q_f32(x + i)));
    if (i < n) et_store_part(y + i, n - i, et_tanh(et_load_part(x + i, n - i, 0.0f)));
}

void et_f32_tanh_backward__neon(const float *y, const float *dy, float *dx, int n) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t t = vld1q_f32(y + i);
        vst1q_f32(dx + i, vmulq_f32(vld1q_f32(dy + i), vsubq_f32(one, vmulq_f32(t, t))));  // dy·(1−t²)
    }
    for (; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

/* max of a row, NaN-propagating like Java's Math.max */
static float row_max(const float *x, int n) {
    int j = 0;
    float m;
    if (n >= 4) {
        float32x4_t vm = vld1q_f32(x);
        for (j = 4; j + 4 <= n; j += 4) vm = vmaxq_f32(vm, vld1q_f32(x + j));
        m = et_hmax(vm);
    } else {
        m = x[0];
        j = 1;
    }
    for (; j < n; j++) m = (m != m) ? m : et_maxf(m, x[j]);
    return m;
}

/* e = exp(x − max) into y, returns Σ e (vector partial sums, then the padded tail) */
static float row_exp_sum(const float *x, float *y, int n, float max) {
    const float32x4_t mv = vdupq_n_f32(max);
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = vdupq_n_f32(0.0f);
    int j = 0;
    for (; j + 8 <= n; j += 8) {
        float32x4_t e0 = et_exp_nonpos(vsubq_f32(vld1q_f32(x + j), mv));
        float32x4_t e1 = et_exp_nonpos(vsubq_f32(vld1q_f32(x + j + 4), mv));
        vst1q_f32(y + j, e0);
        vst1q_f32(y + j + 4, e1);
        s0 = vaddq_f32(s0, e0);
        s1 = vaddq_f32(s1, e1);
    }
    for (; j + 4 <= n; j += 4) {
        float32x4_t e0 = et_exp_nonpos(vsubq_f32(vld1q_f32(x + j), mv));
        vst1q_f32(y + j, e0);
        s0 = vaddq_f32(s0, e0);
    }
    if (j < n) {
        // padding −inf gives e = 0 (or NaN if max is NaN, as every other lane then)
        float32x4_t e0 = et_exp_nonpos(vsubq_f32(et_load_part(x + j, n - j, -INFINITY), mv));
        et_store_part(y + j, n - j, e0);
        s0 = vaddq_f32(s0, e0);
    }
    return et_hsum(vaddq_f32(s0, s1));
}

static void row_scale(float *y, int n, float s) {
    const float32x4_t sv = vdupq_n_f32(s);
    int j = 0;
    for (; j + 4 <= n; j += 4) vst1q_f32(y + j, vmulq_f32(vld1q_f32(y + j), sv));
    for (; j < n; j++) y[j] *= s;
}

void et_f32_softmax_forward__neon(const float *x, float *y, int batch, int n) {
    if (n <= 0) return;
    for (int s = 0; s < batch; s++) {
        const float *xr = x + (size_t)s * n;
        float *yr = y + (size_t)s * n;
        float sum = row_exp_sum(xr, yr, n, row_max(xr, n));
        row_scale(yr, n, 1.0f / sum);
    }
}

void et_f32_softmax_backward__neon(const float *y, const float *dy, float *dx, int batch, int n) {
    for (int s = 0; s < batch; s++) {
        const float *yr = y + (size_t)s * n, *gr = dy + (size_t)s * n;
        float *dr = dx + (size_t)s * n;
        float32x4_t a0 = vdupq_n_f32(0.0f), a1 = vdupq_n_f32(0.0f);
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            a0 = vfmaq_f32(a0, vld1q_f32(gr + j), vld1q_f32(yr + j));
            a1 = vfmaq_f32(a1, vld1q_f32(gr + j + 4), vld1q_f32(yr + j + 4));
        }
        for (; j + 4 <= n; j += 4) a0 = vfmaq_f32(a0, vld1q_f32(gr + j), vld1q_f32(yr + j));
        float dot = et_hsum(vaddq_f32(a0, a1));
        for (; j < n; j++) dot += gr[j] * yr[j];
        const float32x4_t dv = vdupq_n_f32(dot);
        for (j = 0; j + 4 <= n; j += 4) {
            float32x4_t yv = vld1q_f32(yr + j);
            vst1q_f32(dr + j, vmulq_f32(yv, vsubq_f32(vld1q_f32(gr + j), dv)));  // y ⊙ (dy − Σ dy⊙y)
        }
        for (; j < n; j++) dr[j] = yr[j] * (gr[j] - dot);
    }
}

float et_f32_softmax_cross_entropy__neon(const float *z, const float *t, float *dz, int batch, int n) {
    double total = 0.0;
    float invBatch = 1.0f / (float)batch;
    for (int s = 0; s < batch; s++) {
        const float *zr = z + (size_t)s * n;
        float *dr = dz + (size_t)s * n;
        float ti = t[s];
        int target = (ti > -1.0f && ti < (float)n) ? (int)ti : -1;  // Java's (int), or −1: not a column of the row
        float max = row_max(zr, n);
        float sum = row_exp_sum(zr, dr, n, max);
        // −log p_t = log Σ e^(z − max) − (z_t − max)
        total += target >= 0 ? log((double)sum) - (double)(zr[target] - max) : NAN;
        row_scale(dr, n, invBatch / sum);
        if (target >= 0) dr[target] -= invBatch;
    }
    return (float)(total / batch);
}

/* ------------------------------------------------------------------------------------------------------------------
 * Optimizers: Java's expressions lane by lane (same operations, same order); gradients are only read.
 * ---------------------------------------------------------------------------------------------------------------- */
void et_f32_sgd_step__neon(float *p, const float *g, int n, float lr, float wd) {
    const float32x4_t lv = vdupq_n_f32(lr), wv = vdupq_n_f32(wd);
    int i = 0;
    if (wd != 0.0f) {
        for (; i + 4 <= n; i += 4) {
            float32x4_t pv = vld1q_f32(p + i);
            vst1q_f32(p + i, vsubq_f32(pv, vmulq_f32(lv, vaddq_f32(vld1q_f32(g + i), vmulq_f32(wv, pv)))));
        }
        for (; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
    } else {
        for (; i + 4 <= n; i += 4) vst1q_f32(p + i, vsubq_f32(vld1q_f32(p + i), vmulq_f32(lv, vld1q_f32(g + i))));
        for (; i < n; i++) p[i] -= lr * g[i];
    }
}

void et_f32_momentum_step__neon(float *p, const float *g, float *v, int n, float lr, float momentum, float wd,
                                int nesterov) {
    const float32x4_t lv = vdupq_n_f32(lr), mu = vdupq_n_f32(momentum), wv = vdupq_n_f32(wd);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t pv = vld1q_f32(p + i);
        float32x4_t grad = vaddq_f32(vld1q_f32(g + i), vmulq_f32(wv, pv));
        float32x4_t vel = vaddq_f32(vmulq_f32(mu, vld1q_f32(v + i)), grad);
        vst1q_f32(v + i, vel);
        float32x4_t step = nesterov ? vaddq_f32(grad, vmulq_f32(mu, vel)) : vel;
        vst1q_f32(p + i, vsubq_f32(pv, vmulq_f32(lv, step)));
    }
    for (; i < n; i++) {
        float grad = g[i] + wd * p[i];
        float vel = momentum * v[i] + grad;
        v[i] = vel;
        p[i] -= lr * (nesterov ? grad + momentum * vel : vel);
    }
}

/* One Adam lane group: the same expression as the scalar tail below and as JavaKernels.adamStep. */
ET_INLINE void adam4(float *p, const float *g, float *m, float *v, float32x4_t coupled, float32x4_t b1, float32x4_t omb1,
                     float32x4_t b2, float32x4_t omb2, float32x4_t sqrtBc2, float32x4_t eps, float32x4_t shrink,
                     float32x4_t step) {
    float32x4_t pv = vld1q_f32(p);
    float32x4_t grad = vaddq_f32(vld1q_f32(g), vmulq_f32(coupled, pv));
    float32x4_t mi = vaddq_f32(vmulq_f32(b1, vld1q_f32(m)), vmulq_f32(omb1, grad));
    float32x4_t vi = vaddq_f32(vmulq_f32(b2, vld1q_f32(v)), vmulq_f32(vmulq_f32(omb2, grad), grad));
    vst1q_f32(m, mi);
    vst1q_f32(v, vi);
    float32x4_t denom = vaddq_f32(et_div(et_sqrt(vi), sqrtBc2), eps);
    vst1q_f32(p, vsubq_f32(vmulq_f32(pv, shrink), et_div(vmulq_f32(step, mi), denom)));
}

void et_f32_adam_step__neon(float *p, const float *g, float *m, float *v, int n, float lr, float beta1, float beta2,
                            float eps, float wd, int decoupled, float bc1, float bc2) {
    float stepSize = lr / bc1;
    float sqrtBc2 = sqrtf(bc2);
    float coupled = decoupled ? 0.0f : wd;
    float shrink = decoupled ? 1.0f - lr * wd : 1.0f;
    const float32x4_t cv = vdupq_n_f32(coupled), b1 = vdupq_n_f32(beta1), omb1 = vdupq_n_f32(1.0f - beta1);
    const float32x4_t b2 = vdupq_n_f32(beta2), omb2 = vdupq_n_f32(1.0f - beta2), sb = vdupq_n_f32(sqrtBc2);
    const float32x4_t ev = vdupq_n_f32(eps), sh = vdupq_n_f32(shrink), st = vdupq_n_f32(stepSize);
    int i = 0;
    for (; i + 4 <= n; i += 4) adam4(p + i, g + i, m + i, v + i, cv, b1, omb1, b2, omb2, sb, ev, sh, st);
    if (i < n) {
        // the tail through the same vector expression (padded copies), so ARMv7's estimates apply to every element
        float tp[4] = {0}, tg[4] = {0}, tm[4] = {0}, tv[4] = {0};
        int k = n - i;
        memcpy(tp, p + i, (size_t)k * sizeof(float));
        memcpy(tg, g + i, (size_t)k * sizeof(float));
        memcpy(tm, m + i, (size_t)k * sizeof(float));
        memcpy(tv, v + i, (size_t)k * sizeof(float));
        adam4(tp, tg, tm, tv, cv, b1, omb1, b2, omb2, sb, ev, sh, st);
        memcpy(p + i, tp, (size_t)k * sizeof(float));
        memcpy(m + i, tm, (size_t)k * sizeof(float));
        memcpy(v + i, tv, (size_t)k * sizeof(float));
    }
}

ET_INLINE void rmsprop4(float *p, const float *g, float *s, float32x4_t lr, float32x4_t alpha, float32x4_t oma,
                        float32x4_t eps, float32x4_t wd) {
    float32x4_t pv = vld1q_f32(p);
    float32x4_t grad = vaddq_f32(vld1q_f32(g), vmulq_f32(wd, pv));
    float32x4_t si = vaddq_f32(vmulq_f32(alpha, vld1q_f32(s)), vmulq_f32(vmulq_f32(oma, grad), grad));
    vst1q_f32(s, si);
    vst1q_f32(p, vsubq_f32(pv, et_div(vmulq_f32(lr, grad), vaddq_f32(et_sqrt(si), eps))));
}

void et_f32_rmsprop_step__neon(float *p, const float *g, float *s, int n, float lr, float alpha, float eps, float wd) {
    const float32x4_t lv = vdupq_n_f32(lr), av = vdupq_n_f32(alpha), oma = vdupq_n_f32(1.0f - alpha);
    const float32x4_t ev = vdupq_n_f32(eps), wv = vdupq_n_f32(wd);
    int i = 0;
    for (; i + 4 <= n; i += 4) rmsprop4(p + i, g + i, s + i, lv, av, oma, ev, wv);
    if (i < n) {
        float tp[4] = {0}, tg[4] = {0}, ts[4] = {0};
        int k = n - i;
        memcpy(tp, p + i, (size_t)k * sizeof(float));
        memcpy(tg, g + i, (size_t)k * sizeof(float));
        memcpy(ts, s + i, (size_t)k * sizeof(float));
        rmsprop4(tp, tg, ts, lv, av, oma, ev, wv);
        memcpy(p + i, tp, (size_t)k * sizeof(float));
        memcpy(s + i, ts, (size_t)k * sizeof(float));
    }
}

/* ------------------------------------------------------------------------------------------------------------------
 * Reductions and clipping
 * ---------------------------------------------------------------------------------------------------------------- */
/* Blocks of 64 values: float squares summed in four vectors (3.5x faster than widening every value to double, which
 * made the norm a third of a batch-1 step on x86-64; ARMv7 has no double vectors at all) (a tree of depth ≤ 6, so
 * ≤ ~4e-7 relative error: all terms are positive), the block added in double. A block whose float sum overflowed
 * (|x| ≳ 1.8e19), is not finite, or is tiny enough that flushed subnormal squares could matter (< 2^-80), is redone
 * in double, exactly as the reference: no overflow for any finite float, NaN and inf propagate. */
static double block_sum_double(const float *x, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        double v = x[i];
        s += v * v;
    }
    return s;
}

double et_f32_sum_of_squares__neon(const float *x, int n) {
    const float hi = 0x1p100f, lo = 0x1p-80f;
    double total = 0.0;
    int i = 0;
    for (; i + 64 <= n; i += 64) {
        const float *b = x + i;
        float32x4_t a0 = vdupq_n_f32(0.0f), a1 = vdupq_n_f32(0.0f), a2 = vdupq_n_f32(0.0f), a3 = vdupq_n_f32(0.0f);
        for (int k = 0; k < 64; k += 16) {
            float32x4_t v0 = vld1q_f32(b + k), v1 = vld1q_f32(b + k + 4), v2 = vld1q_f32(b + k + 8), v3 = vld1q_f32(b + k + 12);
            a0 = vfmaq_f32(a0, v0, v0);
            a1 = vfmaq_f32(a1, v1, v1);
            a2 = vfmaq_f32(a2, v2, v2);
            a3 = vfmaq_f32(a3, v3, v3);
        }
        float32x4_t a = vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3));
        float32x2_t h = vadd_f32(vget_low_f32(a), vget_high_f32(a));
        float l0 = vget_lane_f32(h, 0), l1 = vget_lane_f32(h, 1);
        float f = l0 + l1;
        if (f < hi && f >= lo) total += (double)l0 + (double)l1;
        else total += block_sum_double(b, 64);
    }
    return total + block_sum_double(x + i, n - i);
}

void et_f32_scale__neon(float *x, int n, float s) {
    const float32x4_t sv = vdupq_n_f32(s);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        vst1q_f32(x + i, vmulq_f32(vld1q_f32(x + i), sv));
        vst1q_f32(x + i + 4, vmulq_f32(vld1q_f32(x + i + 4), sv));
    }
    for (; i + 4 <= n; i += 4) vst1q_f32(x + i, vmulq_f32(vld1q_f32(x + i), sv));
    for (; i < n; i++) x[i] *= s;
}

/* min(max(x, −limit), limit) as compare-and-select: NaN stays NaN and ±0 come out as with Java's Math.max/min. */
void et_f32_clamp__neon(float *x, int n, float limit) {
    const float32x4_t hi = vdupq_n_f32(limit), lo = vdupq_n_f32(-limit);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t v = vld1q_f32(x + i);
        v = vbslq_f32(vcltq_f32(v, lo), lo, v);
        v = vbslq_f32(vcgtq_f32(v, hi), hi, v);
        vst1q_f32(x + i, v);
    }
    for (; i < n; i++) {
        float v = x[i];
        v = v < -limit ? -limit : v;
        x[i] = v > limit ? limit : v;
    }
}

/* ------------------------------------------------------------------------------------------------------------------
 * Time layers. Conv1d forward is direct (no im2col): the weights are packed once per call to [k, c, o] (o padded to a
 * multiple of 4, zeros), then a tile of CONV_MT output steps × CONV_OV vectors of 4 output channels keeps its
 * accumulators in registers and, for each tap (k, c), loads CONV_OV weight vectors and broadcasts one input value per
 * step: CONV_MT·CONV_OV FMAs for CONV_OV + CONV_MT loads. The channel counts of sensor models (3..64) are too small
 * for the dense kernels' dot-product form over c·k (15 or 80 long, then a horizontal sum per output); this outer-product
 * form has no horizontal sums. Every output is bias + Σ_k Σ_c in that order whatever tile it lands in. Steps whose
 * taps reach into the padding take the checked one-step path.
 * ---------------------------------------------------------------------------------------------------------------- */
#if ET_SIMDE /* 16 xmm registers; measured on the AMD EPYC development machine (AVX2 build) against 2x4, 4x2, 4x3 */
#define ET_CONV_MT 3
#define ET_CONV_OV 4
#elif ET_A64 /* 32 q registers: 16 accumulators, 4 weights, 4 inputs */
#define ET_CONV_MT 4
#define ET_CONV_OV 4
#else /* ARMv7: 16 q registers */
#define ET_CONV_MT 2
#define ET_CONV_OV 4
#endif

ET_INLINE void conv_tile(const float *xs, int xstep, const float *pk, int co4, const float *b, float *y, int ystep, int lanes,
                         int in_ch, int kernel, int dstep, const int mt, const int ov) {
    float32x4_t acc[ET_CONV_MT][ET_CONV_OV];
#pragma GCC unroll 8
    for (int v = 0; v < ov; v++) {
        int left = lanes - 4 * v;
        float32x4_t bv = !b ? vdupq_n_f32(0.0f) : left >= 4 ? vld1q_f32(b + 4 * v) : et_load_part(b + 4 * v, left, 0.0f);
#pragma GCC unroll 8
        for (int m = 0; m < mt; m++) acc[m][v] = bv;
    }
    for (int k = 0; k < kernel; k++) {
        const float *xk = xs + k * dstep;
        const float *wk = pk + (size_t)k * in_ch * co4;
        for (int c = 0; c < in_ch; c++) {
            float32x4_t wv[ET_CONV_OV];
#pragma GCC unroll 8
            for (int v = 0; v < ov; v++) wv[v] = vld1q_f32(wk + (size_t)c * co4 + 4 * v);
#pragma GCC unroll 8
            for (int m = 0; m < mt; m++) {
                float32x4_t xv = vdupq_n_f32(xk[m * xstep + c]);
#pragma GCC unroll 8
                for (int v = 0; v < ov; v++) acc[m][v] = vfmaq_f32(acc[m][v], wv[v], xv);
            }
        }
    }
#pragma GCC unroll 8
    for (int m = 0; m < mt; m++) {
#pragma GCC unroll 8
        for (int v = 0; v < ov; v++) {
            int left = lanes - 4 * v;
            if (left >= 4) vst1q_f32(y + (size_t)m * ystep + 4 * v, acc[m][v]);
            else if (left > 0) et_store_part(y + (size_t)m * ystep + 4 * v, left, acc[m][v]);
        }
    }
}

static void conv_tile_full(const float *xs, int xstep, const float *pk, int co4, const float *b, float *y, int ystep, int lanes,
                           int in_ch, int kernel, int dstep) {
    conv_tile(xs, xstep, pk, co4, b, y, ystep, lanes, in_ch, kernel, dstep, ET_CONV_MT, ET_CONV_OV);
}
static void conv_tile_row(const float *xs, int xstep, const float *pk, int co4, const float *b, float *y, int ystep, int lanes,
                          int in_ch, int kernel, int dstep) {
    conv_tile(xs, xstep, pk, co4, b, y, ystep, lanes, in_ch, kernel, dstep, 1, ET_CONV_OV);
}
static void conv_tile_vec(const float *xs, int xstep, const float *pk, int co4, const float *b, float *y, int ystep, int lanes,
                          int in_ch, int kernel, int dstep) {
    conv_tile(xs, xstep, pk, co4, b, y, ystep, lanes, in_ch, kernel, dstep, ET_CONV_MT, 1);
}
static void conv_tile_one(const float *xs, int xstep, const float *pk, int co4, const float *b, float *y, int ystep, int lanes,
                          int in_ch, int kernel, int dstep) {
    conv_tile(xs, xstep, pk, co4, b, y, ystep, lanes, in_ch, kernel, dstep, 1, 1);
}

/* One output step whose taps may fall outside [0, in_time): those are skipped (an FMA with 0 would give the same). */
static void conv_step_checked(const float *xs, const float *pk, int co4, const float *b, float *yr, int in_time, int in_ch,
                              int out_ch, int kernel, int dilation, int t0) {
    for (int o = 0; o < out_ch; o += 4) {
        float32x4_t acc = vdupq_n_f32(0.0f);
        if (b) acc = out_ch - o >= 4 ? vld1q_f32(b + o) : et_load_part(b + o, out_ch - o, 0.0f);
        for (int k = 0; k < kernel; k++) {
            int ti = t0 + k * dilation;
            if (ti < 0 || ti >= in_time) continue;
            const float *xr = xs + (size_t)ti * in_ch, *wk = pk + (size_t)k * in_ch * co4 + o;
            for (int c = 0; c < in_ch; c++) acc = vfmaq_f32(acc, vld1q_f32(wk + (size_t)c * co4), vdupq_n_f32(xr[c]));
        }
        if (out_ch - o >= 4) vst1q_f32(yr + o, acc);
        else et_store_part(yr + o, out_ch - o, acc);
    }
}

void et_f32_conv1d_forward__neon(const float *x, const float *w, const float *b, float *y, float *pack, int batch, int in_time,
                                 int in_ch, int out_time, int out_ch, int kernel, int stride, int dilation, int pad) {
    int co4 = (out_ch + 3) & ~3;
    for (int k = 0; k < kernel; k++)
        for (int c = 0; c < in_ch; c++) {
            float *pr = pack + ((size_t)k * in_ch + c) * co4;
            for (int o = 0; o < out_ch; o++) pr[o] = w[((size_t)o * in_ch + c) * kernel + k];
            for (int o = out_ch; o < co4; o++) pr[o] = 0.0f;
        }
    // steps lo..hi−1 have every tap inside the window
    int lo = (pad + stride - 1) / stride, span = (kernel - 1) * dilation;
    int hi = in_time - 1 + pad - span < 0 ? 0 : (in_time - 1 + pad - span) / stride + 1;
    if (hi > out_time) hi = out_time;
    if (lo > hi) lo = hi;
    int xstep = stride * in_ch, dstep = dilation * in_ch;
    int full_o = out_ch / (4 * ET_CONV_OV) * (4 * ET_CONV_OV);
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * in_ch;
        float *ys = y + (size_t)n * out_time * out_ch;
        for (int t = 0; t < lo; t++)
            conv_step_checked(xs, pack, co4, b, ys + (size_t)t * out_ch, in_time, in_ch, out_ch, kernel, dilation, t * stride - pad);
        int t = lo;
        for (; t + ET_CONV_MT <= hi; t += ET_CONV_MT) {
            const float *xt = xs + (size_t)(t * stride - pad) * in_ch;
            float *yt = ys + (size_t)t * out_ch;
            int o = 0;
            for (; o < full_o; o += 4 * ET_CONV_OV)
                conv_tile_full(xt, xstep, pack + o, co4, b ? b + o : NULL, yt + o, out_ch, 4 * ET_CONV_OV, in_ch, kernel, dstep);
            for (; o < out_ch; o += 4)
                conv_tile_vec(xt, xstep, pack + o, co4, b ? b + o : NULL, yt + o, out_ch, out_ch - o, in_ch, kernel,
                              dstep);
        }
        for (; t < hi; t++) {
            const float *xt = xs + (size_t)(t * stride - pad) * in_ch;
            float *yt = ys + (size_t)t * out_ch;
            int o = 0;
            for (; o < full_o; o += 4 * ET_CONV_OV)
                conv_tile_row(xt, xstep, pack + o, co4, b ? b + o : NULL, yt + o, out_ch, 4 * ET_CONV_OV, in_ch, kernel, dstep);
            for (; o < out_ch; o += 4)
                conv_tile_one(xt, xstep, pack + o, co4, b ? b + o : NULL, yt + o, out_ch, out_ch - o, in_ch, kernel,
                              dstep);
        }
        for (t = hi > lo ? hi : lo; t < out_time; t++)
            conv_step_checked(xs, pack, co4, b, ys + (size_t)t * out_ch, in_time, in_ch, out_ch, kernel, dilation, t * stride - pad);
    }
}

/* im2col and its adjoint: copies in the layout the dense products read (col index c·kernel + k), scalar (the gather
 * has stride kernel); their cost is one pass over col, small next to the products that use it. */
void et_f32_im2col__neon(const float *x, float *col, int batch, int in_time, int in_ch, int out_time, int kernel, int stride,
                         int dilation, int pad) {
    int cw = in_ch * kernel;
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * in_ch;
        for (int t = 0; t < out_time; t++) {
            float *row = col + ((size_t)n * out_time + t) * cw;
            for (int k = 0; k < kernel; k++) {
                int ti = t * stride + k * dilation - pad;
                if (ti < 0 || ti >= in_time) {
                    for (int c = 0; c < in_ch; c++) row[c * kernel + k] = 0.0f;
                } else {
                    const float *xr = xs + (size_t)ti * in_ch;
                    for (int c = 0; c < in_ch; c++) row[c * kernel + k] = xr[c];
                }
            }
        }
    }
}

void et_f32_col2im__neon(const float *dcol, float *dx, int batch, int in_time, int in_ch, int out_time, int kernel, int stride,
                         int dilation, int pad) {
    memset(dx, 0, sizeof(float) * (size_t)batch * in_time * in_ch);
    int cw = in_ch * kernel;
    for (int n = 0; n < batch; n++) {
        float *xs = dx + (size_t)n * in_time * in_ch;
        for (int t = 0; t < out_time; t++) {
            const float *row = dcol + ((size_t)n * out_time + t) * cw;
            for (int k = 0; k < kernel; k++) {
                int ti = t * stride + k * dilation - pad;
                if (ti < 0 || ti >= in_time) continue;
                float *xr = xs + (size_t)ti * in_ch;
                for (int c = 0; c < in_ch; c++) xr[c] += row[c * kernel + k];
            }
        }
    }
}

/* Pooling: vectors over channels (contiguous within a step), the same comparisons and sums as the reference, so the
 * results are bit for bit the reference's. */
void et_f32_maxpool1d_forward__neon(const float *x, float *y, float *arg, int batch, int in_time, int ch, int out_time, int kernel,
                                    int stride) {
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * ch;
        float *ys = y + (size_t)n * out_time * ch, *as = arg + (size_t)n * out_time * ch;
        for (int t = 0; t < out_time; t++) {
            int t0 = t * stride, c = 0;
            for (; c + 4 <= ch; c += 4) {
                float32x4_t m = vld1q_f32(xs + (size_t)t0 * ch + c), best = vdupq_n_f32((float)t0);
                for (int k = 1; k < kernel; k++) {
                    float32x4_t v = vld1q_f32(xs + (size_t)(t0 + k) * ch + c);
                    // v replaces m where v > m or v is NaN, but never once m is NaN (the first NaN wins)
                    uint32x4_t upd = vandq_u32(vorrq_u32(vcgtq_f32(v, m), vmvnq_u32(vceqq_f32(v, v))), vceqq_f32(m, m));
                    m = vbslq_f32(upd, v, m);
                    best = vbslq_f32(upd, vdupq_n_f32((float)(t0 + k)), best);
                }
                vst1q_f32(ys + (size_t)t * ch + c, m);
                vst1q_f32(as + (size_t)t * ch + c, best);
            }
            for (; c < ch; c++) {
                int bi = t0;
                float m = xs[(size_t)t0 * ch + c];
                for (int k = 1; k < kernel && m == m; k++) {
                    float v = xs[(size_t)(t0 + k) * ch + c];
                    if (v > m || v != v) {
                        m = v;
                        bi = t0 + k;
                    }
                }
                ys[(size_t)t * ch + c] = m;
                as[(size_t)t * ch + c] = (float)bi;
            }
        }
    }
}

void et_f32_maxpool1d_backward__neon(const float *dy, const float *arg, float *dx, int batch, int in_time, int ch, int out_time) {
    memset(dx, 0, sizeof(float) * (size_t)batch * in_time * ch);
    for (int n = 0; n < batch; n++) {
        const float *ds = dy + (size_t)n * out_time * ch, *as = arg + (size_t)n * out_time * ch;
        float *xs = dx + (size_t)n * in_time * ch;
        for (int t = 0; t < out_time; t++)
            for (int c = 0; c < ch; c++) {
                float f = as[(size_t)t * ch + c];
                if (f >= 0.0f && f < (float)in_time) xs[(size_t)(int)f * ch + c] += ds[(size_t)t * ch + c]; /* else not an index */
            }
    }
}

void et_f32_avgpool1d_forward__neon(const float *x, float *y, int batch, int in_time, int ch, int out_time, int kernel, int stride) {
    float inv = 1.0f / kernel;
    const float32x4_t iv = vdupq_n_f32(inv);
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * ch;
        float *ys = y + (size_t)n * out_time * ch;
        for (int t = 0; t < out_time; t++) {
            const float *xt = xs + (size_t)t * stride * ch;
            int c = 0;
            for (; c + 4 <= ch; c += 4) {
                float32x4_t s = vdupq_n_f32(0.0f);
                for (int k = 0; k < kernel; k++) s = vaddq_f32(s, vld1q_f32(xt + (size_t)k * ch + c));
                vst1q_f32(ys + (size_t)t * ch + c, vmulq_f32(s, iv));
            }
            for (; c < ch; c++) {
                float s = 0.0f;
                for (int k = 0; k < kernel; k++) s += xt[(size_t)k * ch + c];
                ys[(size_t)t * ch + c] = s * inv;
            }
        }
    }
}

void et_f32_avgpool1d_backward__neon(const float *dy, float *dx, int batch, int in_time, int ch, int out_time, int kernel, int stride) {
    memset(dx, 0, sizeof(float) * (size_t)batch * in_time * ch);
    float inv = 1.0f / kernel;
    const float32x4_t iv = vdupq_n_f32(inv);
    for (int n = 0; n < batch; n++) {
        const float *ds = dy + (size_t)n * out_time * ch;
        float *xs = dx + (size_t)n * in_time * ch;
        for (int t = 0; t < out_time; t++) {
            float *xt = xs + (size_t)t * stride * ch;
            int c = 0;
            for (; c + 4 <= ch; c += 4) {
                float32x4_t g = vmulq_f32(vld1q_f32(ds + (size_t)t * ch + c), iv);
                for (int k = 0; k < kernel; k++) vst1q_f32(xt + (size_t)k * ch + c, vaddq_f32(vld1q_f32(xt + (size_t)k * ch + c), g));
            }
            for (; c < ch; c++) {
                float g = ds[(size_t)t * ch + c] * inv;
                for (int k = 0; k < kernel; k++) xt[(size_t)k * ch + c] += g;
            }
        }
    }
}

/* GRU gates of one step: the vector σ and tanh above (within a few ulp of the reference's double exp); the rest is the
 * reference's float operations in its order. Tails through partial vectors, so every element takes the same formula. */
ET_INLINE void gru_fwd4(const float *gxr, const float *ghr, float *gr, const float *hp, float *hn, int hidden, int j, int cnt) {
    const float32x4_t one = vdupq_n_f32(1.0f);
#define LD(p) (cnt == 4 ? vld1q_f32(p) : et_load_part(p, cnt, 0.0f))
#define ST(p, v) (cnt == 4 ? vst1q_f32(p, v) : et_store_part(p, cnt, v))
    float32x4_t r = et_sigmoid(vaddq_f32(LD(gxr + j), LD(ghr + j)));
    float32x4_t z = et_sigmoid(vaddq_f32(LD(gxr + hidden + j), LD(ghr + hidden + j)));
    float32x4_t nn = et_tanh(vaddq_f32(LD(gxr + 2 * hidden + j), vmulq_f32(r, LD(ghr + 2 * hidden + j))));
    ST(gr + j, r);
    ST(gr + hidden + j, z);
    ST(gr + 2 * hidden + j, nn);
    ST(hn + j, vaddq_f32(vmulq_f32(vsubq_f32(one, z), nn), vmulq_f32(z, LD(hp + j))));
}

void et_f32_gru_gates_forward__neon(const float *gx, int gx_stride, const float *gh, float *gate, const float *h_prev, float *h_next,
                                    int batch, int hidden) {
    int g3 = 3 * hidden;
    for (int n = 0; n < batch; n++) {
        const float *gxr = gx + (size_t)n * gx_stride, *ghr = gh + (size_t)n * g3, *hp = h_prev + (size_t)n * hidden;
        float *gr = gate + (size_t)n * g3, *hn = h_next + (size_t)n * hidden;
        int j = 0;
        for (; j + 4 <= hidden; j += 4) gru_fwd4(gxr, ghr, gr, hp, hn, hidden, j, 4);
        if (j < hidden) gru_fwd4(gxr, ghr, gr, hp, hn, hidden, j, hidden - j);
    }
}

ET_INLINE void gru_bwd4(const float *gr, const float *ghr, const float *hp, float *d, float *dgxr, float *dghr, int hidden, int j,
                        int cnt) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    float32x4_t r = LD(gr + j), z = LD(gr + hidden + j), nn = LD(gr + 2 * hidden + j), g = LD(d + j);
    float32x4_t dn = vmulq_f32(vmulq_f32(g, vsubq_f32(one, z)), vsubq_f32(one, vmulq_f32(nn, nn)));
    float32x4_t dz = vmulq_f32(vmulq_f32(vmulq_f32(g, vsubq_f32(LD(hp + j), nn)), z), vsubq_f32(one, z));
    float32x4_t dr = vmulq_f32(vmulq_f32(vmulq_f32(dn, LD(ghr + 2 * hidden + j)), r), vsubq_f32(one, r));
    ST(dgxr + j, dr);
    ST(dgxr + hidden + j, dz);
    ST(dgxr + 2 * hidden + j, dn);
    ST(dghr + j, dr);
    ST(dghr + hidden + j, dz);
    ST(dghr + 2 * hidden + j, vmulq_f32(dn, r));
    ST(d + j, vmulq_f32(g, z));
#undef LD
#undef ST
}

void et_f32_gru_gates_backward__neon(const float *gate, const float *gh, const float *h_prev, float *dh, float *dgx, int dgx_stride,
                                     float *dgh, int batch, int hidden) {
    int g3 = 3 * hidden;
    for (int n = 0; n < batch; n++) {
        const float *gr = gate + (size_t)n * g3, *ghr = gh + (size_t)n * g3, *hp = h_prev + (size_t)n * hidden;
        float *d = dh + (size_t)n * hidden, *dgxr = dgx + (size_t)n * dgx_stride, *dghr = dgh + (size_t)n * g3;
        int j = 0;
        for (; j + 4 <= hidden; j += 4) gru_bwd4(gr, ghr, hp, d, dgxr, dghr, hidden, j, 4);
        if (j < hidden) gru_bwd4(gr, ghr, hp, d, dgxr, dghr, hidden, j, hidden - j);
    }
}
