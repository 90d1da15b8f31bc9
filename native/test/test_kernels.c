/*
 * Kernel tester: every __neon kernel against the __ref kernel, and every __mt dense product (1, 2, 3, 4 threads)
 * against __neon bit for bit, on seeded inputs over edge shapes (below/at/above the tiles, powers of two ± 1).
 *
 * Each case lays its operands out in one arena at unaligned offsets with canaries (random floats) between them; after
 * the call every float outside the outputs must be unchanged, bit for bit. Outputs that a kernel overwrites start as
 * NaN (a value it forgets to write fails), outputs it accumulates into start random.
 *
 * Tolerances: dense products |got − ref| ≤ 2·(k+2)·2^-24·Σ|terms| (k = reduction length, both sides may err by
 * k·u·Σ|terms|); softmax-family by the row width likewise; sigmoid/tanh a few ulp; the kernels that repeat Java's
 * arithmetic exactly must match bit for bit (on ARMv7: the optimizers with division/square root, and the sum of
 * squares, to a few ulp / 1e-6 relative). Values below 2^-126 may flush to zero (ARMv7 NEON always flushes).
 *
 * A last part runs every kernel on operands allocated separately at their exact sizes, so that AddressSanitizer
 * (scripts/cross-test.sh --sanitize) sees any read past an operand.
 *
 * Usage: test_kernels [--quick] [--verbose]
 *   --quick (or ET_TEST_QUICK=1): for emulators. Dense shapes are all pairs of the edge values in two dimensions with
 *   the third from {5, 17}, in each of the three positions, so every edge value still appears in every dimension;
 *   the default is the full 16×16×16 cube.
 * Exit status 1 on any failure (each printed with the kernel and the shape), else one summary line.
 */
#define _POSIX_C_SOURCE 200809L
#include "edgetrain_kernels.h"
#include "kernels_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const int EDGES[] = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129};
#define NEDGES ((int)(sizeof EDGES / sizeof EDGES[0]))
static const int LONG_N[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4099};
#define NLONG ((int)(sizeof LONG_N / sizeof LONG_N[0]))
#define U 0x1p-24 /* unit roundoff of float */
#define TINY 0x1p-126 /* flush-to-zero allowance */

static int quick, verbose;
static long n_cases, n_values, n_failures, n_mt_cases;
static const char *current_kernel = "";
static char current_shape[128];

/* ---------------------------------------------------------------- random numbers (splitmix64) */
static _Thread_local uint64_t rng_state; /* per thread: the concurrent-callers test draws from two */
static void seed(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    rng_state = 0x9E3779B97F4A7C15ull ^ (a * 0x100000001B3ull) ^ (b << 16) ^ (c << 32) ^ (d << 48);
}
static uint64_t next_u64(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static float uniform(float lo, float hi) {
    return lo + (hi - lo) * (float)((double)(next_u64() >> 40) * 0x1p-24);
}

/* ---------------------------------------------------------------- failures */
static void fail(const char *fmt, ...) {
    n_failures++;
    if (n_failures <= 25) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "FAIL %s [%s]: ", current_kernel, current_shape);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    } else if (n_failures == 26) {
        fprintf(stderr, "... (further failures not printed)\n");
    }
}

static void shape(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(current_shape, sizeof current_shape, fmt, ap);
    va_end(ap);
}

static int same_bits(float a, float b) {
    uint32_t x, y;
    memcpy(&x, &a, 4);
    memcpy(&y, &b, 4);
    return x == y || (a != a && b != b);
}

/* got within tol of ref; NaN must meet NaN and inf the same inf */
static int close_to(float got, float ref, double tol) {
    if (ref != ref) return got != got;
    if (isinf(ref)) return got == ref;
    if (!isfinite(got)) return 0;
    return fabs((double)got - (double)ref) <= tol;
}

/* ---------------------------------------------------------------- arenas with canaries */
enum { IN, OUT_NEW, OUT_ACC }; /* input; output overwritten (starts NaN); output accumulated (starts random) */
#define MAXREG 8
typedef struct {
    size_t size;
    size_t off[MAXREG], len[MAXREG];
    int kind[MAXREG], nreg;
    float *init, *a, *b; /* initial contents; two working copies */
} arena;

static void arena_begin(arena *t) {
    memset(t, 0, sizeof *t);
    t->size = 5; /* the first operand starts at 5 floats: 20 bytes, not 16-aligned */
}

/* Adds an operand of n floats; returns its offset. 7 canary floats follow each, so offsets cycle through residues. */
static size_t arena_add(arena *t, size_t n, int kind) {
    size_t off = t->size;
    t->off[t->nreg] = off;
    t->len[t->nreg] = n;
    t->kind[t->nreg] = kind;
    t->nreg++;
    t->size += n + 7;
    return off;
}

static void arena_sync(arena *t) {
    memcpy(t->a, t->init, t->size * sizeof(float));
    memcpy(t->b, t->init, t->size * sizeof(float));
}

/* Random contents in [-1, 1] everywhere (canaries included), NaN in overwritten outputs. */
static void arena_finish(arena *t) {
    t->init = malloc(t->size * sizeof(float));
    t->a = malloc(t->size * sizeof(float));
    t->b = malloc(t->size * sizeof(float));
    if (!t->init || !t->a || !t->b) {
        fprintf(stderr, "test_kernels: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < t->size; i++) t->init[i] = uniform(-1.0f, 1.0f);
    for (int r = 0; r < t->nreg; r++)
        if (t->kind[r] == OUT_NEW)
            for (size_t i = 0; i < t->len[r]; i++) t->init[t->off[r] + i] = NAN;
    arena_sync(t);
}

static void arena_free(arena *t) {
    free(t->init);
    free(t->a);
    free(t->b);
}

/* Every float that is not an output (inputs and canaries) must be as it was, bit for bit. */
static void check_untouched(const arena *t, const float *a, const char *which) {
    size_t from = 0;
    for (int r = 0; r <= t->nreg; r++) {
        int output = r < t->nreg && t->kind[r] != IN;
        if (r < t->nreg && !output) continue; /* an input: checked with the gap that follows it */
        size_t to = r < t->nreg ? t->off[r] : t->size;
        for (size_t i = from; i < to; i++) {
            if (!same_bits(a[i], t->init[i])) {
                fail("%s wrote outside its outputs: float %zu of %zu changed from %g to %g", which, i, t->size, t->init[i], a[i]);
                return;
            }
        }
        if (r < t->nreg) from = t->off[r] + t->len[r];
    }
}

/* ---------------------------------------------------------------- dense products */
static int (*shapes)[3];
static int n_shapes;

static void make_shapes(void) {
    static const int third[] = {5, 17};
    shapes = malloc(sizeof(*shapes) * NEDGES * NEDGES * NEDGES);
    n_shapes = 0;
    if (!quick) {
        for (int a = 0; a < NEDGES; a++)
            for (int b = 0; b < NEDGES; b++)
                for (int c = 0; c < NEDGES; c++) {
                    shapes[n_shapes][0] = EDGES[a];
                    shapes[n_shapes][1] = EDGES[b];
                    shapes[n_shapes][2] = EDGES[c];
                    n_shapes++;
                }
        return;
    }
    for (int a = 0; a < NEDGES; a++)
        for (int b = 0; b < NEDGES; b++)
            for (int k = 0; k < 2; k++)
                for (int pos = 0; pos < 3; pos++) {
                    int s[3], j = 0;
                    for (int d = 0; d < 3; d++) s[d] = d == pos ? third[k] : (j++ == 0 ? EDGES[a] : EDGES[b]);
                    int dup = 0;
                    for (int q = 0; q < n_shapes && !dup; q++)
                        dup = shapes[q][0] == s[0] && shapes[q][1] == s[1] && shapes[q][2] == s[2];
                    if (dup) continue;
                    memcpy(shapes[n_shapes++], s, sizeof s);
                }
}

enum { FORWARD, INPUT_GRAD, WEIGHT_GRAD, WEIGHT_GRAD_OVERWRITE, DENSE_KINDS };
static const char *DENSE_NAMES[] = {"f32_dense_forward", "f32_dense_input_grad", "f32_dense_weight_grad",
                                    "f32_dense_weight_grad (overwrite)"};

typedef struct {
    arena t;
    size_t x, w, b, y; /* forward: x w b y; input grad: x=dy, w, y=dx; weight grad: x=dy, w=x, y=dw */
    int with_bias;
} dense_case;

static void dense_setup(dense_case *c, int kind, int batch, int in, int out, int with_bias) {
    arena_begin(&c->t);
    c->with_bias = with_bias;
    seed(kind + 1, batch, in, out * 2 + with_bias);
    if (kind == FORWARD) {
        c->x = arena_add(&c->t, (size_t)batch * in, IN);
        c->w = arena_add(&c->t, (size_t)out * in, IN);
        c->b = arena_add(&c->t, with_bias ? (size_t)out : 0, IN);
        c->y = arena_add(&c->t, (size_t)batch * out, OUT_NEW);
    } else if (kind == INPUT_GRAD) {
        c->x = arena_add(&c->t, (size_t)batch * out, IN);
        c->w = arena_add(&c->t, (size_t)out * in, IN);
        c->y = arena_add(&c->t, (size_t)batch * in, OUT_NEW);
    } else {
        c->x = arena_add(&c->t, (size_t)batch * out, IN);
        c->w = arena_add(&c->t, (size_t)batch * in, IN);
        c->y = arena_add(&c->t, (size_t)out * in, kind == WEIGHT_GRAD ? OUT_ACC : OUT_NEW);
    }
    arena_finish(&c->t);
}

/* variant: 0 ref, 1 neon, 2 mt */
static void dense_run(const dense_case *c, float *a, int kind, int variant, int batch, int in, int out) {
    const float *bias = c->with_bias ? a + c->b : NULL;
    switch (kind) {
    case FORWARD:
        if (variant == 0) et_f32_dense_forward__ref(a + c->x, a + c->w, bias, a + c->y, batch, in, out);
        else if (variant == 1) et_f32_dense_forward__neon(a + c->x, a + c->w, bias, a + c->y, batch, in, out);
        else et_f32_dense_forward__mt(a + c->x, a + c->w, bias, a + c->y, batch, in, out);
        break;
    case INPUT_GRAD:
        if (variant == 0) et_f32_dense_input_grad__ref(a + c->x, a + c->w, a + c->y, batch, in, out);
        else if (variant == 1) et_f32_dense_input_grad__neon(a + c->x, a + c->w, a + c->y, batch, in, out);
        else et_f32_dense_input_grad__mt(a + c->x, a + c->w, a + c->y, batch, in, out);
        break;
    default: {
        int acc = kind == WEIGHT_GRAD;
        if (variant == 0) et_f32_dense_weight_grad__ref(a + c->x, a + c->w, a + c->y, batch, in, out, acc);
        else if (variant == 1) et_f32_dense_weight_grad__neon(a + c->x, a + c->w, a + c->y, batch, in, out, acc);
        else et_f32_dense_weight_grad__mt(a + c->x, a + c->w, a + c->y, batch, in, out, acc);
        break;
    }
    }
}

/* Σ|terms| of output value `idx` and the reduction length, in double */
static double dense_magnitude(const dense_case *c, const float *init, int kind, int batch, int in, int out, size_t idx, int *k) {
    double s = 0.0;
    (void)batch;
    if (kind == FORWARD) {
        size_t r = idx / out, o = idx % out;
        for (int i = 0; i < in; i++) s += fabs((double)init[c->x + r * in + i] * init[c->w + o * in + i]);
        if (c->with_bias) s += fabs(init[c->b + o]);
        *k = in + 1;
    } else if (kind == INPUT_GRAD) {
        size_t r = idx / in, i = idx % in;
        for (int o = 0; o < out; o++) s += fabs((double)init[c->x + r * out + o] * init[c->w + (size_t)o * in + i]);
        *k = out;
    } else {
        size_t o = idx / in, i = idx % in;
        for (int r = 0; r < batch; r++) s += fabs((double)init[c->x + (size_t)r * out + o] * init[c->w + (size_t)r * in + i]);
        if (kind == WEIGHT_GRAD) s += fabs(init[c->y + idx]);
        *k = batch + 1;
    }
    return s;
}

static void test_dense_against_ref(void) {
    for (int kind = 0; kind < DENSE_KINDS; kind++) {
        current_kernel = DENSE_NAMES[kind];
        for (int q = 0; q < n_shapes; q++) {
            int batch = shapes[q][0], in = shapes[q][1], out = shapes[q][2];
            int with_bias = kind == FORWARD && (q % 2 == 0);
            shape("batch=%d in=%d out=%d%s", batch, in, out, kind == FORWARD ? (with_bias ? " bias" : " no-bias") : "");
            dense_case c;
            dense_setup(&c, kind, batch, in, out, with_bias);
            dense_run(&c, c.t.a, kind, 0, batch, in, out);
            dense_run(&c, c.t.b, kind, 1, batch, in, out);
            check_untouched(&c.t, c.t.a, "__ref");
            check_untouched(&c.t, c.t.b, "__neon");
            size_t n = kind == FORWARD ? (size_t)batch * out : kind == INPUT_GRAD ? (size_t)batch * in : (size_t)out * in;
            (void)WEIGHT_GRAD_OVERWRITE;
            for (size_t i = 0; i < n; i++) {
                float ref = c.t.a[c.y + i], got = c.t.b[c.y + i];
                int k;
                double mag = dense_magnitude(&c, c.t.init, kind, batch, in, out, i, &k);
                double tol = 2.0 * (k + 2) * U * mag + TINY;
                if (!close_to(got, ref, tol) || ref != ref) {
                    fail("__neon value %zu = %.9g, __ref %.9g (tolerance %.3g)", i, got, ref, tol);
                    break;
                }
            }
            n_values += (long)n;
            n_cases++;
            arena_free(&c.t);
        }
    }
}

static void test_dense_threads(void) {
    for (int threads = 1; threads <= 4; threads++) {
        int got = et_threads_init(threads);
        if (got != threads) {
            current_kernel = "et_threads_init";
            shape("threads=%d", threads);
            fail("returned %d", got);
            continue;
        }
        for (int kind = 0; kind < DENSE_KINDS; kind++) {
            for (int q = 0; q < n_shapes; q++) {
                int batch = shapes[q][0], in = shapes[q][1], out = shapes[q][2];
                int with_bias = kind == FORWARD && (q % 2 == 1);
                dense_case c;
                dense_setup(&c, kind, batch, in, out, with_bias);
                dense_run(&c, c.t.a, kind, 1, batch, in, out);
                dense_run(&c, c.t.b, kind, 2, batch, in, out);
                if (memcmp(c.t.a, c.t.b, c.t.size * sizeof(float)) != 0) {
                    current_kernel = kind == FORWARD ? "f32_dense_forward__mt" : kind == INPUT_GRAD ? "f32_dense_input_grad__mt"
                                                                                                  : "f32_dense_weight_grad__mt";
                    shape("batch=%d in=%d out=%d threads=%d", batch, in, out, threads);
                    size_t i = 0;
                    while (i < c.t.size && same_bits(c.t.a[i], c.t.b[i]) && !(c.t.a[i] != c.t.a[i])) i++;
                    fail("not bit-identical to __neon (first difference at float %zu: %.9g vs %.9g)", i, c.t.b[i], c.t.a[i]);
                }
                n_mt_cases++;
                arena_free(&c.t);
            }
        }
    }
}

/* Two threads calling the __mt products at once: one owns the pool, the other runs single-threaded; both exact. */
typedef struct {
    int kind, rounds, ok;
} concurrent_arg;

static void *concurrent_body(void *p) {
    concurrent_arg *arg = p;
    int batch = 33, in = 129, out = 65;
    arg->ok = 1;
    for (int r = 0; r < arg->rounds; r++) {
        dense_case c;
        dense_setup(&c, arg->kind, batch, in + r % 3, out, 1);
        dense_run(&c, c.t.a, arg->kind, 1, batch, in + r % 3, out);
        dense_run(&c, c.t.b, arg->kind, 2, batch, in + r % 3, out);
        if (memcmp(c.t.a, c.t.b, c.t.size * sizeof(float)) != 0) arg->ok = 0;
        arena_free(&c.t);
    }
    return NULL;
}

static void test_concurrent_callers(void) {
    current_kernel = "__mt from two threads";
    shape("batch=33 in=129..131 out=65 threads=3");
    et_threads_init(3);
    concurrent_arg a = {FORWARD, quick ? 20 : 200, 0}, b = {WEIGHT_GRAD, quick ? 20 : 200, 0};
    pthread_t th;
    if (pthread_create(&th, NULL, concurrent_body, &a) != 0) {
        fail("pthread_create");
        return;
    }
    concurrent_body(&b);
    pthread_join(th, NULL);
    if (!a.ok || !b.ok) fail("results differ from __neon (forward %s, weight grad %s)", a.ok ? "ok" : "differs", b.ok ? "ok" : "differs");
    n_mt_cases += a.rounds + b.rounds;
}

/* ---------------------------------------------------------------- bias grad, elementwise, softmax, optimizers */
static void compare_exact(const arena *t, size_t off, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (!same_bits(t->b[off + i], t->a[off + i])) {
            fail("__neon value %zu = %.9g, __ref %.9g (must be bit-identical)", i, t->b[off + i], t->a[off + i]);
            return;
        }
    }
    n_values += (long)n;
}

/* within `ulps` units in the last place of ref (or both below 2^-126) */
static void compare_ulps(const arena *t, size_t off, size_t n, double ulps) {
    for (size_t i = 0; i < n; i++) {
        float ref = t->a[off + i], got = t->b[off + i];
        double ulp = (double)nextafterf(fabsf(ref), INFINITY) - fabsf(ref);
        double tol = ulps * ulp + TINY;
        if (!close_to(got, ref, tol)) {
            fail("__neon value %zu = %.9g, __ref %.9g (input %.9g; tolerance %.1f ulp)", i, got, ref, t->init[t->off[0] + i], ulps);
            return;
        }
    }
    n_values += (long)n;
}

static void test_bias_grad(void) {
  for (int acc = 1; acc >= 0; acc--) {
    current_kernel = acc ? "f32_bias_grad" : "f32_bias_grad (overwrite)";
    for (int a = 0; a < NEDGES; a++)
        for (int b = 0; b < NEDGES; b++) {
            int batch = EDGES[a], out = EDGES[b];
            shape("batch=%d out=%d", batch, out);
            arena t;
            arena_begin(&t);
            seed(11, batch, out, 0);
            size_t dy = arena_add(&t, (size_t)batch * out, IN), db = arena_add(&t, out, acc ? OUT_ACC : OUT_NEW);
            arena_finish(&t);
            et_f32_bias_grad__ref(t.a + dy, t.a + db, batch, out, acc);
            et_f32_bias_grad__neon(t.b + dy, t.b + db, batch, out, acc);
            check_untouched(&t, t.a, "__ref");
            check_untouched(&t, t.b, "__neon");
            compare_exact(&t, db, out);
            n_cases++;
            arena_free(&t);
        }
  }
}

/* Inputs for the activations: mostly moderate, some wide, and the special values at fixed positions. */
static void activation_inputs(float *x, int n) {
    static const float special[] = {0.0f, -0.0f, 0.625f, -0.625f, 0.6249f, 87.3f, -87.3f, 88.0f, -88.0f, -87.34f,
                                    -85.0f, 100.0f, -100.0f, 1e30f, -1e30f, INFINITY, -INFINITY, NAN, 1e-30f, -1e-30f,
                                    9.0f, -9.0f, 20.0f, -20.0f, 1e-5f, -1e-5f, 0.3f, -1.5f};
    for (int i = 0; i < n; i++) x[i] = (i % 3 == 2) ? uniform(-30.0f, 30.0f) : uniform(-4.0f, 4.0f);
    for (int i = 0; i < n && i < (int)(sizeof special / sizeof special[0]); i++)
        if (n > 40 || i % 2 == 0) x[(i * 7) % n] = special[i];
}

static void test_elementwise(void) {
    for (int q = 0; q < NLONG; q++) {
        int n = LONG_N[q];
        shape("n=%d", n);
        for (int op = 0; op < 8; op++) {
            arena t;
            arena_begin(&t);
            seed(20 + op, n, 0, 0);
            size_t x = arena_add(&t, n, IN), dy = arena_add(&t, n, IN), y = arena_add(&t, n, OUT_NEW);
            arena_finish(&t);
            float slope = op == 1 ? 0.0f : 0.01f;
            switch (op) {
            case 0:
            case 1:
                current_kernel = op == 0 ? "f32_leaky_relu_forward (slope 0.01)" : "f32_leaky_relu_forward (ReLU)";
                et_f32_leaky_relu_forward__ref(t.a + x, t.a + y, n, slope);
                et_f32_leaky_relu_forward__neon(t.b + x, t.b + y, n, slope);
                break;
            case 2:
                current_kernel = "f32_leaky_relu_backward";
                et_f32_leaky_relu_backward__ref(t.a + x, t.a + dy, t.a + y, n, slope);
                et_f32_leaky_relu_backward__neon(t.b + x, t.b + dy, t.b + y, n, slope);
                break;
            case 3:
                current_kernel = "f32_sigmoid_forward";
                activation_inputs(t.init + x, n);
                arena_sync(&t);
                et_f32_sigmoid_forward__ref(t.a + x, t.a + y, n);
                et_f32_sigmoid_forward__neon(t.b + x, t.b + y, n);
                break;
            case 4:
                current_kernel = "f32_sigmoid_backward";
                for (int i = 0; i < n; i++) t.init[x + i] = uniform(0.0f, 1.0f); /* y = σ(·) ∈ [0, 1] */
                arena_sync(&t);
                et_f32_sigmoid_backward__ref(t.a + x, t.a + dy, t.a + y, n);
                et_f32_sigmoid_backward__neon(t.b + x, t.b + dy, t.b + y, n);
                break;
            case 5:
                current_kernel = "f32_tanh_forward";
                activation_inputs(t.init + x, n);
                arena_sync(&t);
                et_f32_tanh_forward__ref(t.a + x, t.a + y, n);
                et_f32_tanh_forward__neon(t.b + x, t.b + y, n);
                break;
            case 6:
                current_kernel = "f32_tanh_backward";
                et_f32_tanh_backward__ref(t.a + x, t.a + dy, t.a + y, n);
                et_f32_tanh_backward__neon(t.b + x, t.b + dy, t.b + y, n);
                break;
            default:
                current_kernel = "f32_scale";
                memcpy(t.a + y, t.a + x, n * sizeof(float));
                memcpy(t.b + y, t.b + x, n * sizeof(float));
                et_f32_scale__ref(t.a + y, n, -0.37f);
                et_f32_scale__neon(t.b + y, n, -0.37f);
                break;
            }
            check_untouched(&t, t.a, "__ref");
            check_untouched(&t, t.b, "__neon");
            /* measured over dense sweeps: ≤ 2.6 ulp from exact on AArch64/x86-64, ≤ 3.3 on ARMv7 (estimated ÷) */
            if (op == 3 || op == 5) compare_ulps(&t, y, n, ET_A64 ? 3.0 : 4.0);
            else compare_exact(&t, y, n);
            n_cases++;
            arena_free(&t);
        }
    }
}

static void test_clamp(void) {
    current_kernel = "f32_clamp";
    static const float limits[] = {0.5f, 0.0f, 2.0f};
    for (int q = 0; q < NLONG; q++)
        for (int l = 0; l < 3; l++) {
            int n = LONG_N[q];
            shape("n=%d limit=%g", n, limits[l]);
            arena t;
            arena_begin(&t);
            seed(30, n, l, 0);
            size_t x = arena_add(&t, n, OUT_ACC);
            arena_finish(&t);
            static const float special[] = {0.0f, -0.0f, NAN, INFINITY, -INFINITY, 0.5f, -0.5f, 3.0f, -3.0f};
            for (int i = 0; i < n && i < 9; i++) t.init[x + (i * 5) % n] = special[i];
            arena_sync(&t);
            et_f32_clamp__ref(t.a + x, n, limits[l]);
            et_f32_clamp__neon(t.b + x, n, limits[l]);
            check_untouched(&t, t.b, "__neon");
            compare_exact(&t, x, n);
            n_cases++;
            arena_free(&t);
        }
}

static void test_softmax(void) {
    for (int a = 0; a < NEDGES; a++)
        for (int c = 0; c < NEDGES; c++) {
            int batch = EDGES[a], n = EDGES[c];
            for (int wide = 0; wide < 2; wide++) {
                shape("batch=%d n=%d logits in ±%d", batch, n, wide ? 100 : 8);
                /* forward */
                current_kernel = "f32_softmax_forward";
                arena t;
                arena_begin(&t);
                seed(40, batch, n, wide);
                size_t x = arena_add(&t, (size_t)batch * n, IN), y = arena_add(&t, (size_t)batch * n, OUT_NEW);
                arena_finish(&t);
                float range = wide ? 100.0f : 8.0f;
                for (size_t i = 0; i < (size_t)batch * n; i++) t.init[x + i] = uniform(-range, range);
                arena_sync(&t);
                et_f32_softmax_forward__ref(t.a + x, t.a + y, batch, n);
                et_f32_softmax_forward__neon(t.b + x, t.b + y, batch, n);
                check_untouched(&t, t.a, "__ref");
                check_untouched(&t, t.b, "__neon");
                for (size_t i = 0; i < (size_t)batch * n; i++) {
                    float ref = t.a[y + i], got = t.b[y + i];
                    double tol = 2.0 * (n + 8) * U * fabs(ref) + TINY;
                    if (!close_to(got, ref, tol) || ref != ref) {
                        fail("__neon value %zu = %.9g, __ref %.9g (tolerance %.3g)", i, got, ref, tol);
                        break;
                    }
                }
                n_values += (long)batch * n;
                n_cases++;
                arena_free(&t);

                /* backward, from y = softmax(random) */
                current_kernel = "f32_softmax_backward";
                arena_begin(&t);
                seed(41, batch, n, wide);
                size_t yy = arena_add(&t, (size_t)batch * n, IN), dy = arena_add(&t, (size_t)batch * n, IN);
                size_t dx = arena_add(&t, (size_t)batch * n, OUT_NEW);
                arena_finish(&t);
                for (size_t i = 0; i < (size_t)batch * n; i++) t.init[yy + i] = uniform(-range, range);
                et_f32_softmax_forward__ref(t.init + yy, t.init + yy, batch, n);
                arena_sync(&t);
                et_f32_softmax_backward__ref(t.a + yy, t.a + dy, t.a + dx, batch, n);
                et_f32_softmax_backward__neon(t.b + yy, t.b + dy, t.b + dx, batch, n);
                check_untouched(&t, t.a, "__ref");
                check_untouched(&t, t.b, "__neon");
                for (int s = 0; s < batch; s++) {
                    double dot = 0, mag = 0;
                    for (int j = 0; j < n; j++) {
                        double p = (double)t.init[dy + (size_t)s * n + j] * t.init[yy + (size_t)s * n + j];
                        dot += p;
                        mag += fabs(p);
                    }
                    int bad = 0;
                    for (int j = 0; j < n && !bad; j++) {
                        size_t i = (size_t)s * n + j;
                        double yv = fabs(t.init[yy + i]);
                        /* + a subnormal y flushed to zero (ARMv7 NEON) times (dy − dot) */
                        double tol = 2.0 * (n + 4) * U * yv * (fabs(t.init[dy + i]) + fabs(dot) + mag) + 2 * U * fabs(t.a[dx + i]) +
                                     TINY * (1.0 + fabs(t.init[dy + i]) + fabs(dot));
                        if (!close_to(t.b[dx + i], t.a[dx + i], tol) || t.a[dx + i] != t.a[dx + i]) {
                            fail("__neon value %zu = %.9g, __ref %.9g (tolerance %.3g)", i, t.b[dx + i], t.a[dx + i], tol);
                            bad = 1;
                        }
                    }
                    if (bad) break;
                }
                n_values += (long)batch * n;
                n_cases++;
                arena_free(&t);
            }
        }
}

static void test_cross_entropy(void) {
    current_kernel = "f32_softmax_cross_entropy";
    for (int a = 0; a < NEDGES; a++)
        for (int c = 0; c < NEDGES; c++)
            for (int variant = 0; variant < 3; variant++) { /* 0 plain, 1 a target out of range, 2 a NaN logit */
                int batch = EDGES[a], n = EDGES[c];
                shape("batch=%d n=%d%s", batch, n, variant == 1 ? " bad-target" : variant == 2 ? " nan-logit" : "");
                arena t;
                arena_begin(&t);
                seed(50, batch, n, variant);
                size_t z = arena_add(&t, (size_t)batch * n, IN), tt = arena_add(&t, batch, IN);
                size_t dz = arena_add(&t, (size_t)batch * n, OUT_NEW);
                arena_finish(&t);
                for (size_t i = 0; i < (size_t)batch * n; i++) t.init[z + i] = uniform(-6.0f, 6.0f);
                for (int s = 0; s < batch; s++) t.init[tt + s] = (float)(next_u64() % (uint64_t)n);
                if (variant == 1) t.init[tt + batch / 2] = (float)n; /* one past the row */
                if (variant == 2) t.init[z + (size_t)(batch / 2) * n + n / 2] = NAN;
                arena_sync(&t);
                float lr = et_f32_softmax_cross_entropy__ref(t.a + z, t.a + tt, t.a + dz, batch, n);
                float lg = et_f32_softmax_cross_entropy__neon(t.b + z, t.b + tt, t.b + dz, batch, n);
                check_untouched(&t, t.a, "__ref");
                check_untouched(&t, t.b, "__neon");
                double ltol = 0;
                for (int s = 0; s < batch; s++) {
                    float mx = -INFINITY;
                    for (int j = 0; j < n; j++) mx = fmaxf(mx, t.init[z + (size_t)s * n + j]);
                    int k = (int)t.init[tt + s];
                    double zt = k < n ? fabs((double)t.init[z + (size_t)s * n + k] - mx) : 0;
                    ltol += 2.0 * (n + 8) * U + 2 * U * zt;
                }
                ltol = ltol / batch + 2 * U * fabs(lr) + TINY;
                if (variant != 0 && lr == lr) fail("__ref loss %g, expected NaN", lr);
                if (!close_to(lg, lr, ltol)) fail("__neon loss %.9g, __ref %.9g (tolerance %.3g)", lg, lr, ltol);
                float inv = 1.0f / batch;
                for (size_t i = 0; i < (size_t)batch * n; i++) {
                    float ref = t.a[dz + i], got = t.b[dz + i];
                    double tol = 2.0 * (n + 8) * U * (fabs(ref) + inv) + TINY;
                    if (!close_to(got, ref, tol)) {
                        fail("__neon dz %zu = %.9g, __ref %.9g (tolerance %.3g)", i, got, ref, tol);
                        break;
                    }
                }
                n_values += (long)batch * n + 1;
                n_cases++;
                arena_free(&t);
            }
}

static void test_optimizers(void) {
    for (int q = 0; q < NLONG; q++) {
        int n = LONG_N[q];
        for (int op = 0; op < 8; op++) {
            arena t;
            arena_begin(&t);
            seed(60 + op, n, 0, 0);
            size_t p = arena_add(&t, n, OUT_ACC), g = arena_add(&t, n, IN);
            size_t m = arena_add(&t, n, OUT_ACC), v = arena_add(&t, n, OUT_ACC);
            arena_finish(&t);
            for (int i = 0; i < n; i++) t.init[v + i] = uniform(0.0f, 0.01f); /* second moments are ≥ 0 */
            arena_sync(&t);
            int exact_p = 1;
            float lr = 0.01f, wd = (op & 1) ? 0.01f : 0.0f;
            switch (op) {
            case 0:
            case 1:
                current_kernel = "f32_sgd_step";
                shape("n=%d wd=%g", n, wd);
                et_f32_sgd_step__ref(t.a + p, t.a + g, n, lr, wd);
                et_f32_sgd_step__neon(t.b + p, t.b + g, n, lr, wd);
                break;
            case 2:
            case 3:
                current_kernel = "f32_momentum_step";
                shape("n=%d wd=%g nesterov=%d", n, wd, op == 3);
                et_f32_momentum_step__ref(t.a + p, t.a + g, t.a + m, n, lr, 0.9f, wd, op == 3);
                et_f32_momentum_step__neon(t.b + p, t.b + g, t.b + m, n, lr, 0.9f, wd, op == 3);
                break;
            case 4:
            case 5:
                current_kernel = "f32_adam_step";
                shape("n=%d wd=%g decoupled=%d", n, wd, op == 5);
                et_f32_adam_step__ref(t.a + p, t.a + g, t.a + m, t.a + v, n, 0.001f, 0.9f, 0.999f, 1e-8f, wd, op == 5,
                                      1.0f - 0.729f, 1.0f - 0.997003f);
                et_f32_adam_step__neon(t.b + p, t.b + g, t.b + m, t.b + v, n, 0.001f, 0.9f, 0.999f, 1e-8f, wd, op == 5,
                                       1.0f - 0.729f, 1.0f - 0.997003f);
                exact_p = ET_A64;
                break;
            default:
                current_kernel = "f32_rmsprop_step";
                shape("n=%d wd=%g", n, wd);
                et_f32_rmsprop_step__ref(t.a + p, t.a + g, t.a + v, n, lr, 0.99f, 1e-8f, wd);
                et_f32_rmsprop_step__neon(t.b + p, t.b + g, t.b + v, n, lr, 0.99f, 1e-8f, wd);
                exact_p = ET_A64;
                break;
            }
            check_untouched(&t, t.a, "__ref");
            check_untouched(&t, t.b, "__neon");
            if (exact_p) {
                compare_exact(&t, p, n);
            } else {
                /* p' = p·shrink − update, the update through √ and ÷ estimates: a few ulp of the update */
                for (int i = 0; i < n; i++) {
                    double upd = fabs((double)t.init[p + i] - t.a[p + i]);
                    double tol = 8 * U * (fabs(t.init[p + i]) + upd) + TINY;
                    if (!close_to(t.b[p + i], t.a[p + i], tol)) {
                        fail("__neon p %d = %.9g, __ref %.9g (tolerance %.3g)", i, t.b[p + i], t.a[p + i], tol);
                        break;
                    }
                }
                n_values += n;
            }
            compare_exact(&t, m, n);
            compare_exact(&t, v, n);
            n_cases++;
            arena_free(&t);
        }
    }
}

static void test_sum_of_squares(void) {
    current_kernel = "f32_sum_of_squares";
    static const int extra[] = {1000, 4096, 100003};
    for (int q = 0; q < NLONG + 3; q++) {
        int n = q < NLONG ? LONG_N[q] : extra[q - NLONG];
        for (int kind = 0; kind < 6; kind++) { /* 0 uniform, 1 huge (to 3e38), 2 tiny (1e-25), 3 mixed scales, 4 NaN, 5 inf */
            shape("n=%d values=%s", n, (const char *[]){"uniform", "3e38", "1e-25", "mixed", "nan", "inf"}[kind]);
            arena t;
            arena_begin(&t);
            seed(70, n, kind, 0);
            size_t x = arena_add(&t, n, IN);
            arena_finish(&t);
            for (int i = 0; i < n; i++) {
                float u = uniform(-1.0f, 1.0f);
                t.init[x + i] = kind == 1 ? u * 3e38f : kind == 2 ? u * 1e-25f : kind == 3 ? u * powf(10.0f, (float)(i % 13) - 6.0f) : u;
            }
            if (kind == 4 && n > 0) t.init[x + n / 2] = NAN;
            if (kind == 5 && n > 0) t.init[x + n / 3] = -INFINITY;
            arena_sync(&t);
            double ref = et_f32_sum_of_squares__ref(t.a + x, n);
            double got = et_f32_sum_of_squares__neon(t.b + x, n);
            check_untouched(&t, t.b, "__neon");
            int ok;
            if (ref != ref) ok = got != got;
            else if (isinf(ref)) ok = got == ref;
            else ok = isfinite(got) && fabs(got - ref) <= 1e-6 * ref + 1e-300;
            if (!ok) fail("__neon %.17g, __ref %.17g", got, ref);
            n_values++;
            n_cases++;
            arena_free(&t);
        }
    }
}

/* ---------------------------------------------------------------- exact-size buffers */
/* Every kernel on operands that each have their own allocation of exactly their size: the arena's canaries catch
 * stray writes, but only this lets AddressSanitizer (cross-test.sh --sanitize) catch a read past an operand. */
static float *exact(size_t n, float scale) {
    float *p = malloc((n ? n : 1) * sizeof(float));
    if (!p) exit(2);
    for (size_t i = 0; i < n; i++) p[i] = scale * uniform(-1.0f, 1.0f);
    return p;
}

static void test_exact_buffers(void) {
    current_kernel = "exact-size buffers";
    for (int t = 1; t <= 3; t += 2) {
        et_threads_init(t);
        for (int a = 0; a < NEDGES; a++)
            for (int b = 0; b < NEDGES; b++)
                for (int c = (a + b) % 3; c < NEDGES; c += quick ? 5 : 2) {
                    int batch = EDGES[a], in = EDGES[b], out = EDGES[c];
                    shape("batch=%d in=%d out=%d threads=%d", batch, in, out, t);
                    seed(90, batch, in, out);
                    float *x = exact((size_t)batch * in, 1), *w = exact((size_t)out * in, 1), *bias = exact(out, 1);
                    float *y = exact((size_t)batch * out, 0), *dy = exact((size_t)batch * out, 1);
                    float *dx = exact((size_t)batch * in, 0), *dw = exact((size_t)out * in, 1);
                    et_f32_dense_forward__neon(x, w, bias, y, batch, in, out);
                    et_f32_dense_forward__mt(x, w, NULL, y, batch, in, out);
                    et_f32_dense_input_grad__neon(dy, w, dx, batch, in, out);
                    et_f32_dense_input_grad__mt(dy, w, dx, batch, in, out);
                    et_f32_dense_weight_grad__neon(dy, x, dw, batch, in, out, 1);
                    et_f32_dense_weight_grad__mt(dy, x, dw, batch, in, out, 0);
                    if (c < 2 && t == 1) { /* the row kernels, once per (batch, in) */
                        int n = batch, m = in, k = n * m;
                        float *p = exact(k, 1), *q = exact(k, 1), *r = exact(k, 0), *tt = exact(n, 0);
                        float *s1 = exact(k, 0.01f), *s2 = exact(k, 0.01f);
                        for (int i = 0; i < n; i++) tt[i] = (float)(i % m);
                        for (int i = 0; i < k; i++) s2[i] = fabsf(s2[i]);
                        et_f32_bias_grad__neon(q, r, n, m, 1);
                        et_f32_softmax_forward__neon(p, r, n, m);
                        et_f32_softmax_backward__neon(p, q, r, n, m);
                        (void)et_f32_softmax_cross_entropy__neon(p, tt, r, n, m);
                        et_f32_leaky_relu_forward__neon(p, r, k, 0.1f);
                        et_f32_leaky_relu_backward__neon(p, q, r, k, 0.1f);
                        et_f32_sigmoid_forward__neon(p, r, k);
                        et_f32_sigmoid_backward__neon(p, q, r, k);
                        et_f32_tanh_forward__neon(p, r, k);
                        et_f32_tanh_backward__neon(p, q, r, k);
                        et_f32_sgd_step__neon(r, q, k, 0.1f, 0.01f);
                        et_f32_momentum_step__neon(r, q, s1, k, 0.1f, 0.9f, 0.01f, 1);
                        et_f32_adam_step__neon(r, q, s1, s2, k, 0.1f, 0.9f, 0.99f, 1e-8f, 0.01f, 1, 0.1f, 0.01f);
                        et_f32_rmsprop_step__neon(r, q, s2, k, 0.1f, 0.9f, 1e-8f, 0.01f);
                        if (et_f32_sum_of_squares__neon(p, k) < 0) fail("negative sum of squares");
                        et_f32_scale__neon(r, k, 2.0f);
                        et_f32_clamp__neon(r, k, 1.0f);
                        free(p), free(q), free(r), free(tt), free(s1), free(s2);
                    }
                    free(x), free(w), free(bias), free(y), free(dy), free(dx), free(dw);
                    n_cases++;
                }
    }
}

/* ---------------------------------------------------------------- fixed point: __neon equals __ref bit for bit */
static int16_t rand_q16(int wide) {
    /* wide 1: any int16 (saturation and the -32768 corner); 2: up to half the range, a tensor at its scale's top, whose
     * products overflow an int32 after a few (the blocked accumulation widens mid-row); else small values */
    uint64_t u = next_u64();
    if (wide == 2) return (int16_t)((int32_t)(u >> 49) - 16384);
    if (wide) return (int16_t)(u >> 48);
    return (int16_t)((int32_t)(u >> 52) - 2048);
}

static void q16_fill(int16_t *v, size_t n, int wide) {
    for (size_t i = 0; i < n; i++) v[i] = rand_q16(wide);
}

/* out[0..n) vs ref[0..n), and the 8 canaries after each */
static void q16_compare(const char *what, const int16_t *got, const int16_t *ref, size_t n, const int64_t *sg, const int64_t *sr) {
    n_cases++;
    for (size_t i = 0; i < n + 8; i++) {
        n_values++;
        if (got[i] != ref[i]) {
            fail("%s[%zu]: neon %d, ref %d", what, i, got[i], ref[i]);
            return;
        }
    }
    if (sg[0] != sr[0] || sg[1] != sr[1]) fail("%s stats: neon max %lld sat %lld, ref max %lld sat %lld", what, (long long)sg[0],
                                               (long long)sg[1], (long long)sr[0], (long long)sr[1]);
}

static void test_fixed_point(void) {
    static const int SHIFTS[] = {-3, 0, 1, 7, 13, 15, 20, 30, 31, 32, 62, 70};
    for (int k = 0; k < n_shapes; k++) {
        int batch = shapes[k][0], in = shapes[k][1], out = shapes[k][2];
        for (int wide = 0; wide < 3; wide++) {
            seed(batch, in, out, 77 + wide);
            int shift = SHIFTS[next_u64() % (sizeof SHIFTS / sizeof SHIFTS[0])];
            int bias_shift = (int)(next_u64() % 20) - 4;
            size_t nx = (size_t)batch * in, nw = (size_t)out * in, ny = (size_t)batch * out;
            int16_t *x = malloc(2 * (nx + 8)), *w = malloc(2 * (nw + 8)), *b = malloc(2 * (out + 8)), *dy = malloc(2 * (ny + 8));
            int16_t *g1 = malloc(2 * (nw + nx + ny + 8)), *g2 = malloc(2 * (nw + nx + ny + 8));
            q16_fill(x, nx, wide);
            q16_fill(w, nw, wide);
            q16_fill(b, out, wide);
            q16_fill(dy, ny, wide);
            size_t most = nw > nx ? (nw > ny ? nw : ny) : (nx > ny ? nx : ny);
            int64_t s1[2], s2[2];

            current_kernel = "et_q16_dense_forward";
            shape("batch %d, in %d, out %d, shift %d, bias shift %d, %s values", batch, in, out, shift, bias_shift,
                  wide == 2 ? "half-range" : wide ? "full-range" : "small");
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 3; s1[1] = s2[1] = 1;
            et_q16_dense_forward__neon(x, w, (k & 1) ? NULL : b, bias_shift, g1, batch, in, out, shift, s1);
            et_q16_dense_forward__ref(x, w, (k & 1) ? NULL : b, bias_shift, g2, batch, in, out, shift, s2);
            q16_compare("y", g1, g2, ny, s1, s2);

            current_kernel = "et_q16_dense_input_grad";
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 0; s1[1] = s2[1] = 0;
            et_q16_dense_input_grad__neon(dy, w, g1, batch, in, out, shift, s1);
            et_q16_dense_input_grad__ref(dy, w, g2, batch, in, out, shift, s2);
            q16_compare("dx", g1, g2, nx, s1, s2);

            current_kernel = "et_q16_dense_weight_grad";
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 0; s1[1] = s2[1] = 0;
            et_q16_dense_weight_grad__neon(dy, x, g1, batch, in, out, shift, s1);
            et_q16_dense_weight_grad__ref(dy, x, g2, batch, in, out, shift, s2);
            q16_compare("dw", g1, g2, nw, s1, s2);

            static const int SLOPES[] = {0, 328, 16384, 32768, 40000, -16384};
            int slope = SLOPES[next_u64() % (sizeof SLOPES / sizeof SLOPES[0])];
            size_t n1 = (size_t)batch * (in < out ? in : out), n2 = nx < nw ? nx : nw;
            current_kernel = "et_q16_bias_grad";
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 0; s1[1] = s2[1] = 0;
            et_q16_bias_grad__neon(dy, g1, batch, out, shift, s1);
            et_q16_bias_grad__ref(dy, g2, batch, out, shift, s2);
            q16_compare("db", g1, g2, (size_t)out, s1, s2);
            current_kernel = "et_q16_leaky_relu_forward";
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 0; s1[1] = s2[1] = 0;
            et_q16_leaky_relu_forward__neon(x, g1, (int)nx, slope, s1);
            et_q16_leaky_relu_forward__ref(x, g2, (int)nx, slope, s2);
            q16_compare("y (leaky)", g1, g2, nx, s1, s2);
            current_kernel = "et_q16_leaky_relu_backward";
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 0; s1[1] = s2[1] = 0;
            et_q16_leaky_relu_backward__neon(x, dy, g1, (int)n1, slope, s1);
            et_q16_leaky_relu_backward__ref(x, dy, g2, (int)n1, slope, s2);
            q16_compare("dx (leaky)", g1, g2, n1, s1, s2);
            current_kernel = "et_q16_multiply";
            memset(g1, 0x5a, 2 * (most + 8)); memset(g2, 0x5a, 2 * (most + 8));
            s1[0] = s2[0] = 0; s1[1] = s2[1] = 0;
            et_q16_multiply__neon(x, w, g1, (int)n2, shift, s1);
            et_q16_multiply__ref(x, w, g2, (int)n2, shift, s2);
            q16_compare("y (multiply)", g1, g2, n2, s1, s2);
            free(x); free(w); free(b); free(dy); free(g1); free(g2);
        }
    }
}

/* the updates: random coefficients (present or absent, positive or negative), shifts that take the vector path and
 * shifts that do not, stochastic and nearest, values that saturate */
static void test_fixed_updates(void) {
    static const int NS[] = {1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 128, 129, 1000};
    for (int c = 0; c < 17 * 24; c++) {
        int n = NS[c % 17];
        int wide = (c / 17) % 2, stochastic = (c / 34) % 2;
        seed(n, c, 91, 5);
        int m[4], sh[4];
        for (int k = 0; k < 4; k++) {
            uint64_t u = next_u64();
            m[k] = (u % 7 == 0) ? 0 : (int)(16384 + (u >> 20) % 16384) * ((u >> 8) % 5 == 0 ? -1 : 1);
            sh[k] = (int)((u >> 40) % 70) - 12;  // −12 .. 57: left-shift terms, common shifts past 32, gaps past 30
        }
        uint32_t key_v = (uint32_t)next_u64(), key_p = (uint32_t)next_u64();
        int16_t *p1 = malloc(2 * (n + 8)), *p2 = malloc(2 * (n + 8)), *v1 = malloc(2 * (n + 8)), *v2 = malloc(2 * (n + 8));
        int16_t *g = malloc(2 * (n + 8));
        q16_fill(p1, n + 8, wide);
        q16_fill(v1, n + 8, wide);
        q16_fill(g, n + 8, wide);
        memcpy(p2, p1, 2 * (n + 8));
        memcpy(v2, v1, 2 * (n + 8));
        int64_t s1[2] = {0, 0}, s2[2] = {0, 0}, t1[2] = {0, 0}, t2[2] = {0, 0};
        current_kernel = "et_q16_sgd_step";
        shape("n %d, g %d·2^-%d, p %d·2^-%d, %s, %s values", n, m[0], sh[0], m[1], sh[1], stochastic ? "stochastic" : "nearest",
              wide ? "full-range" : "small");
        et_q16_sgd_step__neon(p1, g, n, m[0], sh[0], m[1], sh[1], key_p, stochastic, s1);
        et_q16_sgd_step__ref(p2, g, n, m[0], sh[0], m[1], sh[1], key_p, stochastic, s2);
        q16_compare("p", p1, p2, n, s1, s2);
        current_kernel = "et_q16_momentum_step";
        s1[0] = s1[1] = s2[0] = s2[1] = 0;
        et_q16_momentum_step__neon(p1, g, v1, n, m[0], sh[0], m[1], sh[1], m[2], sh[2], m[3], sh[3], key_v, key_p, stochastic, s1, t1);
        et_q16_momentum_step__ref(p2, g, v2, n, m[0], sh[0], m[1], sh[1], m[2], sh[2], m[3], sh[3], key_v, key_p, stochastic, s2, t2);
        q16_compare("v", v1, v2, n, s1, s2);
        q16_compare("p", p1, p2, n, t1, t2);
        free(p1); free(p2); free(v1); free(v2); free(g);
    }
    /* the common case of training: μ, 2^k, small decay, lr, all plain left shifts */
    for (int c = 0; c < 64; c++) {
        int n = 1 + c * 37;
        seed(n, c, 92, 6);
        int16_t *p1 = malloc(2 * (n + 8)), *p2 = malloc(2 * (n + 8)), *v1 = malloc(2 * (n + 8)), *v2 = malloc(2 * (n + 8));
        int16_t *g = malloc(2 * (n + 8));
        q16_fill(p1, n + 8, c % 2);
        q16_fill(v1, n + 8, c % 2);
        q16_fill(g, n + 8, c % 2);
        memcpy(p2, p1, 2 * (n + 8));
        memcpy(v2, v1, 2 * (n + 8));
        int64_t s1[2] = {0, 0}, s2[2] = {0, 0}, t1[2] = {0, 0}, t2[2] = {0, 0};
        current_kernel = "et_q16_momentum_step (training shifts)";
        shape("n %d", n);
        et_q16_momentum_step__neon(p1, g, v1, n, 29491, 15, 16384, 14 + c % 5, 26844, 42, 21475, 25 + c % 9, 7u * c, 11u * c, c % 3 != 0, s1, t1);
        et_q16_momentum_step__ref(p2, g, v2, n, 29491, 15, 16384, 14 + c % 5, 26844, 42, 21475, 25 + c % 9, 7u * c, 11u * c, c % 3 != 0, s2, t2);
        q16_compare("v", v1, v2, n, s1, s2);
        q16_compare("p", p1, p2, n, t1, t2);
        free(p1); free(p2); free(v1); free(v2); free(g);
    }
}

/* ---------------------------------------------------------------- main */

/* ---------------------------------------------------------------- time layers */
/* |__neon − __ref| ≤ tol for n values from off */
static void compare_abs(const arena *t, size_t off, size_t n, double tol) {
    for (size_t i = 0; i < n; i++) {
        if (!close_to(t->b[off + i], t->a[off + i], tol)) {
            fail("__neon value %zu = %.9g, __ref %.9g (tolerance %.2g)", i, t->b[off + i], t->a[off + i], tol);
            return;
        }
    }
    n_values += (long)n;
}

/* Conv1d forward (direct, fused multiply-add: within 2e-6 per term of the reduction), im2col and col2im (exact) over
 * edge shapes: channel counts 1/3/odd/16, output channels not a multiple of 4, kernel = window, stride and dilation > 1,
 * every padding (valid 0, same ⌊d(k−1)/2⌋, causal d(k−1)), odd lengths. */
static void test_conv1d(void) {
    static const int CH[] = {1, 3, 5, 16}, OUTCH[] = {1, 3, 4, 7, 16, 17, 32}, KS[] = {1, 3, 5}, TS[] = {1, 2, 5, 17, 33};
    for (int ci = 0; ci < 4; ci++)
        for (int oi = 0; oi < 7; oi++)
            for (int ki = 0; ki < 3; ki++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                        for (int pm = 0; pm < 3; pm++)
                            for (int ti = 0; ti < 5; ti++) {
                                int C = CH[ci], O = OUTCH[oi], K = KS[ki], span = d * (K - 1);
                                int T = ti == 0 ? span + 1 : span + TS[ti]; /* ti 0: kernel = window */
                                int pad = pm == 0 ? 0 : pm == 1 ? span / 2 : span;
                                int padded = T + (pm == 0 ? 0 : pm == 1 ? span : span);
                                int Tout = (padded - span - 1) / s + 1;
                                if (quick && (oi % 2 == 1 || ti == 3 || (d == 2 && s == 3))) continue;
                                for (int batch = 1; batch <= 2; batch++) {
                                    for (int with_bias = 0; with_bias < 2; with_bias++) {
                                        current_kernel = "f32_conv1d_forward";
                                        shape("batch=%d T=%d C=%d O=%d K=%d s=%d d=%d pad=%d bias=%d", batch, T, C, O, K, s, d, pad, with_bias);
                                        arena t;
                                        arena_begin(&t);
                                        seed(21, (uint64_t)T * 64 + C, (uint64_t)O * 16 + K, (uint64_t)s * 8 + d * 2 + with_bias);
                                        size_t x = arena_add(&t, (size_t)batch * T * C, IN), w = arena_add(&t, (size_t)O * C * K, IN);
                                        size_t b = arena_add(&t, O, IN), y = arena_add(&t, (size_t)batch * Tout * O, OUT_NEW);
                                        size_t pk = arena_add(&t, (size_t)K * C * ((O + 3) & ~3), OUT_NEW);
                                        arena_finish(&t);
                                        et_f32_conv1d_forward__ref(t.a + x, t.a + w, with_bias ? t.a + b : NULL, t.a + y, t.a + pk, batch, T, C,
                                                                   Tout, O, K, s, d, pad);
                                        et_f32_conv1d_forward__neon(t.b + x, t.b + w, with_bias ? t.b + b : NULL, t.b + y, t.b + pk, batch, T,
                                                                    C, Tout, O, K, s, d, pad);
                                        check_untouched(&t, t.a, "__ref");
                                        check_untouched(&t, t.b, "__neon");
                                        compare_abs(&t, y, (size_t)batch * Tout * O, 2e-6 * (C * K + 1));
                                        n_cases++;
                                        arena_free(&t);
                                    }
                                    for (int dir = 0; dir < 2; dir++) {
                                        current_kernel = dir ? "f32_col2im" : "f32_im2col";
                                        arena t;
                                        arena_begin(&t);
                                        seed(22, (uint64_t)T * 64 + C, (uint64_t)K, (uint64_t)s * 8 + d * 2 + dir);
                                        size_t col_n = (size_t)batch * Tout * C * K, x_n = (size_t)batch * T * C;
                                        size_t in = arena_add(&t, dir ? col_n : x_n, IN), out = arena_add(&t, dir ? x_n : col_n, OUT_NEW);
                                        arena_finish(&t);
                                        if (dir) {
                                            et_f32_col2im__ref(t.a + in, t.a + out, batch, T, C, Tout, K, s, d, pad);
                                            et_f32_col2im__neon(t.b + in, t.b + out, batch, T, C, Tout, K, s, d, pad);
                                        } else {
                                            et_f32_im2col__ref(t.a + in, t.a + out, batch, T, C, Tout, K, s, d, pad);
                                            et_f32_im2col__neon(t.b + in, t.b + out, batch, T, C, Tout, K, s, d, pad);
                                        }
                                        check_untouched(&t, t.a, "__ref");
                                        check_untouched(&t, t.b, "__neon");
                                        compare_exact(&t, out, dir ? x_n : col_n);
                                        n_cases++;
                                        arena_free(&t);
                                    }
                                }
                            }
}

/* Max and average pooling, forward and backward: bit for bit (the same comparisons and sums); NaN and ties in max. */
static void test_pool1d(void) {
    static const int CH[] = {1, 3, 4, 5, 16, 17}, TS[] = {1, 2, 3, 7, 16, 33};
    for (int ci = 0; ci < 6; ci++)
        for (int ti = 0; ti < 6; ti++)
            for (int K = 1; K <= 4; K++)
                for (int s = 1; s <= 3; s++)
                    for (int avg = 0; avg < 2; avg++) {
                        int C = CH[ci], T = TS[ti];
                        if (K > T) continue;
                        int Tout = (T - K) / s + 1, batch = 2;
                        current_kernel = avg ? "f32_avgpool1d" : "f32_maxpool1d";
                        shape("T=%d C=%d K=%d s=%d", T, C, K, s);
                        arena t;
                        arena_begin(&t);
                        seed(23, (uint64_t)T * 64 + C, (uint64_t)K, (uint64_t)s * 2 + avg);
                        size_t x = arena_add(&t, (size_t)batch * T * C, IN), y = arena_add(&t, (size_t)batch * Tout * C, OUT_NEW);
                        size_t arg = arena_add(&t, (size_t)batch * Tout * C, OUT_NEW), dy = arena_add(&t, (size_t)batch * Tout * C, IN);
                        size_t dx = arena_add(&t, (size_t)batch * T * C, OUT_NEW);
                        t.size += 0;
                        arena_finish(&t);
                        /* ties and NaN in the max-pool input */
                        for (size_t i = 0; i < (size_t)batch * T * C; i += 5) t.init[x + i] = t.init[x + (i + C) % ((size_t)batch * T * C)];
                        if (T * C > 9) t.init[x + 9] = NAN;
                        arena_sync(&t);
                        if (avg) {
                            et_f32_avgpool1d_forward__ref(t.a + x, t.a + y, batch, T, C, Tout, K, s);
                            et_f32_avgpool1d_forward__neon(t.b + x, t.b + y, batch, T, C, Tout, K, s);
                            et_f32_avgpool1d_backward__ref(t.a + dy, t.a + dx, batch, T, C, Tout, K, s);
                            et_f32_avgpool1d_backward__neon(t.b + dy, t.b + dx, batch, T, C, Tout, K, s);
                            for (size_t i = 0; i < (size_t)batch * Tout * C; i++) t.a[arg + i] = t.b[arg + i] = 0.0f;
                        } else {
                            et_f32_maxpool1d_forward__ref(t.a + x, t.a + y, t.a + arg, batch, T, C, Tout, K, s);
                            et_f32_maxpool1d_forward__neon(t.b + x, t.b + y, t.b + arg, batch, T, C, Tout, K, s);
                            et_f32_maxpool1d_backward__ref(t.a + dy, t.a + arg, t.a + dx, batch, T, C, Tout);
                            et_f32_maxpool1d_backward__neon(t.b + dy, t.b + arg, t.b + dx, batch, T, C, Tout);
                        }
                        check_untouched(&t, t.a, "__ref");
                        check_untouched(&t, t.b, "__neon");
                        compare_exact(&t, y, (size_t)batch * Tout * C);
                        compare_exact(&t, arg, (size_t)batch * Tout * C);
                        compare_exact(&t, dx, (size_t)batch * T * C);
                        n_cases++;
                        arena_free(&t);
                    }
}

/* GRU gates of one step: forward within 1e-6 (vector σ and tanh against double exp), backward bit for bit. */
static void test_gru_gates(void) {
    static const int HS[] = {1, 3, 4, 5, 8, 13, 32, 33};
    for (int hi = 0; hi < 8; hi++)
        for (int batch = 1; batch <= 3; batch++) {
            int H = HS[hi], stride = 3 * H * 4 + 1;
            current_kernel = "f32_gru_gates";
            shape("batch=%d hidden=%d", batch, H);
            arena t;
            arena_begin(&t);
            seed(24, H, batch, 0);
            size_t gx = arena_add(&t, (size_t)batch * stride, IN), gh = arena_add(&t, (size_t)batch * 3 * H, IN);
            size_t hp = arena_add(&t, (size_t)batch * H, IN), gate = arena_add(&t, (size_t)batch * 3 * H, OUT_NEW);
            size_t hn = arena_add(&t, (size_t)batch * H, OUT_NEW), dh = arena_add(&t, (size_t)batch * H, OUT_ACC);
            size_t dgx = arena_add(&t, (size_t)batch * stride, OUT_ACC), dgh = arena_add(&t, (size_t)batch * 3 * H, OUT_NEW);
            arena_finish(&t);
            for (size_t i = 0; i < (size_t)batch * stride; i++) t.init[gx + i] *= 6.0f; /* into the saturating ends */
            arena_sync(&t);
            et_f32_gru_gates_forward__ref(t.a + gx, stride, t.a + gh, t.a + gate, t.a + hp, t.a + hn, batch, H);
            et_f32_gru_gates_forward__neon(t.b + gx, stride, t.b + gh, t.b + gate, t.b + hp, t.b + hn, batch, H);
            compare_abs(&t, gate, (size_t)batch * 3 * H, 1e-6);
            compare_abs(&t, hn, (size_t)batch * H, 2e-6);
            memcpy(t.b + gate, t.a + gate, sizeof(float) * (size_t)batch * 3 * H); /* backward from the same gates */
            et_f32_gru_gates_backward__ref(t.a + gate, t.a + gh, t.a + hp, t.a + dh, t.a + dgx, stride, t.a + dgh, batch, H);
            et_f32_gru_gates_backward__neon(t.b + gate, t.b + gh, t.b + hp, t.b + dh, t.b + dgx, stride, t.b + dgh, batch, H);
            check_untouched(&t, t.a, "__ref");
            check_untouched(&t, t.b, "__neon");
            compare_exact(&t, dh, (size_t)batch * H);
            compare_exact(&t, dgx, (size_t)batch * stride);
            compare_exact(&t, dgh, (size_t)batch * 3 * H);
            n_cases++;
            arena_free(&t);
        }
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv) {
    const char *env = getenv("ET_TEST_QUICK");
    quick = env && *env && strcmp(env, "0") != 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) quick = 1;
        else if (strcmp(argv[i], "--verbose") == 0) verbose = 1;
        else {
            fprintf(stderr, "usage: %s [--quick] [--verbose]\n", argv[0]);
            return 2;
        }
    }
    double t0 = now();
    make_shapes();
    struct {
        const char *name;
        void (*fn)(void);
    } parts[] = {
        {"dense vs ref", test_dense_against_ref}, {"dense threads", test_dense_threads}, {"concurrent callers", test_concurrent_callers},
        {"bias grad", test_bias_grad}, {"elementwise", test_elementwise}, {"clamp", test_clamp}, {"softmax", test_softmax},
        {"cross-entropy", test_cross_entropy}, {"optimizers", test_optimizers}, {"sum of squares", test_sum_of_squares},
        {"exact-size buffers", test_exact_buffers}, {"fixed point", test_fixed_point}, {"fixed updates", test_fixed_updates},
        {"conv1d", test_conv1d}, {"pool1d", test_pool1d}, {"gru gates", test_gru_gates},
    };
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        double t = now();
        parts[k].fn();
        if (verbose) fprintf(stderr, "  %-20s %6.2f s, failures so far %ld\n", parts[k].name, now() - t, n_failures);
    }
    et_threads_shutdown();
    double secs = now() - t0;
    if (n_failures) {
        printf("test_kernels (%s): FAILED: %ld failures\n", et_build_description(), n_failures);
        return 1;
    }
    printf("test_kernels (%s, %s shapes): OK, %ld cases (%d dense shapes x 3 products, dW also overwriting), %ld values vs __ref, "
           "%ld __mt cases bit-identical for 1-4 threads, fixed point bit-exact, %.1f s\n",
           et_build_description(), quick ? "quick" : "full", n_cases, n_shapes, n_values, n_mt_cases, secs);
    return 0;
}
