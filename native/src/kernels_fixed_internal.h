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

#endif
