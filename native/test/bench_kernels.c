/*
 * Throughput of the dense products against the machine's own 128-bit FMA peak (et_fma128_peak_gflops).
 *
 * Usage: bench_kernels [batch in out [threads [seconds]]]    (default 32 256 256 2 0.5)
 * Prints GFLOP/s (2 flops per multiply-add) of the forward product, dX and dW, single-threaded (__neon), threaded
 * (__mt) when threads > 1, and the C reference (__ref) for scale; each the best of several timed runs.
 * Build: scripts/bench-native.sh, which also runs it.
 */
#define _POSIX_C_SOURCE 200809L
#include "edgetrain_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

typedef void (*product)(const float *, const float *, float *, int, int, int);

static const float *g_bias;
static void fwd_ref(const float *x, const float *w, float *y, int b, int i, int o) { et_f32_dense_forward__ref(x, w, g_bias, y, b, i, o); }
static void fwd_neon(const float *x, const float *w, float *y, int b, int i, int o) { et_f32_dense_forward__neon(x, w, g_bias, y, b, i, o); }
static void fwd_mt(const float *x, const float *w, float *y, int b, int i, int o) { et_f32_dense_forward__mt(x, w, g_bias, y, b, i, o); }
static void dw_ref(const float *dy, const float *x, float *dw, int b, int i, int o) { et_f32_dense_weight_grad__ref(dy, x, dw, b, i, o, 1); }
static void dw_neon(const float *dy, const float *x, float *dw, int b, int i, int o) { et_f32_dense_weight_grad__neon(dy, x, dw, b, i, o, 1); }
static void dw_mt(const float *dy, const float *x, float *dw, int b, int i, int o) { et_f32_dense_weight_grad__mt(dy, x, dw, b, i, o, 1); }

/* best GFLOP/s over repeated timed batches of calls, about `seconds` in all */
static double measure(product f, const float *a, const float *b, float *c, int batch, int in, int out, double seconds) {
    double flops = 2.0 * batch * in * out, best = 0;
    int reps = 1;
    f(a, b, c, batch, in, out); /* warm up caches */
    for (;;) { /* calls per timed batch: at least a millisecond's worth */
        double t0 = now();
        for (int r = 0; r < reps; r++) f(a, b, c, batch, in, out);
        if (now() - t0 >= 1e-3 || reps >= (1 << 24)) break;
        reps *= 2;
    }
    double end = now() + seconds;
    do {
        double t0 = now();
        for (int r = 0; r < reps; r++) f(a, b, c, batch, in, out);
        double gf = flops * reps / (now() - t0) * 1e-9;
        if (gf > best) best = gf;
    } while (now() < end);
    return best;
}

int main(int argc, char **argv) {
    int batch = argc > 3 ? atoi(argv[1]) : 32, in = argc > 3 ? atoi(argv[2]) : 256, out = argc > 3 ? atoi(argv[3]) : 256;
    int threads = argc > 4 ? atoi(argv[4]) : 2;
    double seconds = argc > 5 ? atof(argv[5]) : 0.5;
    size_t n = (size_t)batch * in + (size_t)out * in + out + (size_t)batch * out + 64;
    float *mem = aligned_alloc(64, ((n * sizeof(float)) + 63) / 64 * 64);
    if (!mem) return 2;
    srand(1);
    for (size_t i = 0; i < n; i++) mem[i] = (float)rand() / RAND_MAX - 0.5f;
    float *x = mem, *w = x + (size_t)batch * in, *b = w + (size_t)out * in, *y = b + out;
    float *dx = x, *dw = w, *dy = y; /* same buffers, roles of the backward products */
    g_bias = b;

    double peak = et_fma128_peak_gflops(300);
    printf("%s: 128-bit FMA peak %.1f GFLOP/s (one thread)\n", et_build_description(), peak);
    printf("dense batch=%d in=%d out=%d              GFLOP/s   %% of peak\n", batch, in, out);
    struct {
        const char *name;
        product ref, neon, mt;
        const float *a, *b;
        float *c;
    } k[] = {
        {"forward  Y = X·Wᵀ + b", fwd_ref, fwd_neon, fwd_mt, x, w, y},
        {"input    dX = dY·W    ", et_f32_dense_input_grad__ref, et_f32_dense_input_grad__neon, et_f32_dense_input_grad__mt, dy, w, dx},
        {"weight   dW += dYᵀ·X  ", dw_ref, dw_neon, dw_mt, dy, x, dw},
    };
    int got = threads > 1 ? et_threads_init(threads) : 1;
    for (int i = 0; i < 3; i++) {
        double s = measure(k[i].neon, k[i].a, k[i].b, k[i].c, batch, in, out, seconds);
        printf("%s __neon     %7.1f   %5.0f %%\n", k[i].name, s, 100 * s / peak);
        if (got > 1) {
            double m = measure(k[i].mt, k[i].a, k[i].b, k[i].c, batch, in, out, seconds);
            printf("%s __mt (%d)   %7.1f   (%.2fx)\n", k[i].name, got, m, m / s);
        }
        double r = measure(k[i].ref, k[i].a, k[i].b, k[i].c, batch, in, out, seconds / 2);
        printf("%s __ref      %7.1f\n", k[i].name, r);
    }
    et_threads_shutdown();
    free(mem);
    return 0;
}
