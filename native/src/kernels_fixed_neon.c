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
