/*
 * The machine's own 128-bit FMA peak (the yardstick for the dense products), and what the library was built for.
 */
#define _POSIX_C_SOURCE 200809L
#include "edgetrain_kernels.h"
#include "kernels_internal.h"

#include <time.h>

/* Independent accumulator chains: enough to cover FMA latency × issue width (A76: 4 cycles × 2 pipes = 8; Zen/Intel:
 * 4 × 2 = 8) with margin, within the register file: 16 of 32 q registers on AArch64, 12 of 16 on ARMv7 and x86-64. */
#if ET_A64 && !ET_SIMDE
#define PEAK_CHAINS 16
#else
#define PEAK_CHAINS 12
#endif
#define PEAK_INNER 256 /* FMA rounds per clock check */

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static volatile float peak_sink;

double et_fma128_peak_gflops(int millis) {
    if (millis < 1) millis = 1;
    float32x4_t acc[PEAK_CHAINS];
    for (int k = 0; k < PEAK_CHAINS; k++) acc[k] = vdupq_n_f32(1.0f + 0.001f * (float)k);
    // acc = acc·m + c converges to c/(1−m) = 1: no overflow, no subnormals, however long it runs
    const float32x4_t m = vdupq_n_f32(0.999f), c = vdupq_n_f32(0.001f);
    double start = seconds(), end = start + 1e-3 * millis, now;
    long rounds = 0;
    do {
        for (int r = 0; r < PEAK_INNER; r++) {
            for (int k = 0; k < PEAK_CHAINS; k++) acc[k] = vfmaq_f32(c, acc[k], m);
        }
        rounds += PEAK_INNER;
        now = seconds();
    } while (now < end);
    // the chains are loop-carried and end in a volatile store: the compiler can neither drop nor fold them
    float32x4_t s = acc[0];
    for (int k = 1; k < PEAK_CHAINS; k++) s = vaddq_f32(s, acc[k]);
    peak_sink = vgetq_lane_f32(s, 0);
    double flops = (double)rounds * PEAK_CHAINS * 4 /* lanes */ * 2 /* multiply + add */;
    return flops / (now - start) * 1e-9;
}

const char *et_build_description(void) {
#if ET_SIMDE && defined(__x86_64__)
#if defined(__AVX2__) && defined(__FMA__)
    return "x86-64 neon-via-simde avx2-fma";
#else
    return "x86-64 neon-via-simde sse";
#endif
#elif ET_SIMDE
    return "neon-via-simde";
#elif ET_A64
    return "aarch64 neon";
#else
    return "armv7 neon-vfpv4";
#endif
}
