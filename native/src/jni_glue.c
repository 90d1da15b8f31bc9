/*
 * JNI entry points of org.edgetrain.kernels.NativeKernels: each pins the arena (GetPrimitiveArrayCritical: no copy)
 * for the few microseconds of one kernel, with no other JNI call inside the critical region, and releases it with
 * mode 0. Offsets and counts are checked against the array's length BEFORE pinning, in 64-bit arithmetic: a bad
 * offset throws IndexOutOfBoundsException (a negative size or an empty softmax row, IllegalArgumentException) instead
 * of writing into the Java heap.
 *
 * Built with baseline flags for the architecture (no AVX2 on x86-64), so JNI_OnLoad can refuse a CPU that lacks what
 * the kernels were compiled for: System.load then throws UnsatisfiedLinkError instead of the JVM dying of SIGILL.
 */
#define _GNU_SOURCE
#include "org_edgetrain_kernels_NativeKernels.h"
#include "edgetrain_kernels.h"

#include <stdint.h>
#include <stdio.h>
#if defined(__aarch64__) || defined(__arm__)
#include <sys/auxv.h>
#endif

#define ET_CLASS_OUT_OF_BOUNDS "java/lang/IndexOutOfBoundsException"
#define ET_CLASS_ILLEGAL_ARGUMENT "java/lang/IllegalArgumentException"

static int cpu_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#elif defined(__aarch64__)
    return (getauxval(AT_HWCAP) & (1UL << 1)) != 0;  // HWCAP_ASIMD
#elif defined(__arm__)
    unsigned long hw = getauxval(AT_HWCAP);
    return (hw & (1UL << 12)) && (hw & (1UL << 16));  // HWCAP_NEON, HWCAP_VFPv4
#else
    return 1;
#endif
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)vm;
    (void)reserved;
    return cpu_supported() ? JNI_VERSION_1_6 : JNI_ERR;
}

static void throw_new(JNIEnv *env, const char *cls, const char *msg) {
    jclass c = (*env)->FindClass(env, cls);
    if (c) (*env)->ThrowNew(env, c, msg);
}

/* One operand: `count` floats from `off`. */
typedef struct {
    const char *name;
    jint off;
    int64_t count;
} operand;

/* 1 if every operand lies inside the array; else throws (naming the kernel, the operand and the numbers) and 0. */
static int check(JNIEnv *env, jfloatArray a, const char *kernel, const operand *ops, int n) {
    if (a == NULL) {
        throw_new(env, "java/lang/NullPointerException", kernel);
        return 0;
    }
    jsize len = (*env)->GetArrayLength(env, a);
    for (int k = 0; k < n; k++) {
        const operand *o = &ops[k];
        if (o->count < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "%s: %s has a negative size (%lld floats)", kernel, o->name, (long long)o->count);
            throw_new(env, ET_CLASS_ILLEGAL_ARGUMENT, msg);
            return 0;
        }
        if (o->count > 0 && (o->off < 0 || (int64_t)o->off + o->count > (int64_t)len)) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: %s = [%d, %lld) is outside the arena of %d floats", kernel, o->name, (int)o->off,
                     (long long)o->off + o->count, (int)len);
            throw_new(env, ET_CLASS_OUT_OF_BOUNDS, msg);
            return 0;
        }
    }
    return 1;
}

static int rows_not_empty(JNIEnv *env, const char *kernel, jint batch, jint n) {
    if (batch > 0 && n < 1) {
        char msg[120];
        snprintf(msg, sizeof msg, "%s: rows of width %d (must be at least 1)", kernel, (int)n);
        throw_new(env, ET_CLASS_ILLEGAL_ARGUMENT, msg);
        return 0;
    }
    return 1;
}

#define NOPS(ops) ((int)(sizeof(ops) / sizeof((ops)[0])))
#define PIN(env, a) ((float *)(*(env))->GetPrimitiveArrayCritical((env), (a), NULL))
#define UNPIN(env, a, p) (*(env))->ReleasePrimitiveArrayCritical((env), (a), (p), 0)
#define M(a, b) ((int64_t)(a) * (int64_t)(b))

JNIEXPORT jstring JNICALL Java_org_edgetrain_kernels_NativeKernels_buildDescription(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, et_build_description());
}

JNIEXPORT jint JNICALL Java_org_edgetrain_kernels_NativeKernels_abiVersion(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return ET_JNI_ABI;
}

JNIEXPORT jint JNICALL Java_org_edgetrain_kernels_NativeKernels_initThreads(JNIEnv *env, jclass cls, jint threads) {
    (void)env;
    (void)cls;
    return et_threads_init(threads);
}

JNIEXPORT jdouble JNICALL Java_org_edgetrain_kernels_NativeKernels_fmaPeakGflops(JNIEnv *env, jclass cls, jint millis) {
    (void)env;
    (void)cls;
    return et_fma128_peak_gflops(millis);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_denseForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x,
                                                                               jint w, jint b, jint y, jint batch, jint in,
                                                                               jint out, jboolean parallel) {
    (void)cls;
    const operand ops[] = {{"x", x, M(batch, in)}, {"w", w, M(out, in)}, {"b", b, b >= 0 ? out : 0}, {"y", y, M(batch, out)}};
    if (!check(env, a, "denseForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    (parallel ? et_f32_dense_forward__mt : et_f32_dense_forward__neon)(p + x, p + w, b >= 0 ? p + b : NULL, p + y, batch, in, out);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_denseInputGrad0(JNIEnv *env, jclass cls, jfloatArray a, jint dy,
                                                                                 jint w, jint dx, jint batch, jint in, jint out,
                                                                                 jboolean parallel) {
    (void)cls;
    const operand ops[] = {{"dy", dy, M(batch, out)}, {"w", w, M(out, in)}, {"dx", dx, M(batch, in)}};
    if (!check(env, a, "denseInputGrad", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    (parallel ? et_f32_dense_input_grad__mt : et_f32_dense_input_grad__neon)(p + dy, p + w, p + dx, batch, in, out);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_denseWeightGrad0(JNIEnv *env, jclass cls, jfloatArray a, jint dy,
                                                                                  jint x, jint dw, jint batch, jint in, jint out,
                                                                                  jboolean parallel, jboolean accumulate) {
    (void)cls;
    const operand ops[] = {{"dy", dy, M(batch, out)}, {"x", x, M(batch, in)}, {"dw", dw, M(out, in)}};
    if (!check(env, a, "denseWeightGrad", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    (parallel ? et_f32_dense_weight_grad__mt : et_f32_dense_weight_grad__neon)(p + dy, p + x, p + dw, batch, in, out, accumulate);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_biasGrad0(JNIEnv *env, jclass cls, jfloatArray a, jint dy, jint db,
                                                                           jint batch, jint out, jboolean accumulate) {
    (void)cls;
    const operand ops[] = {{"dy", dy, M(batch, out)}, {"db", db, out}};
    if (!check(env, a, "biasGrad", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_bias_grad__neon(p + dy, p + db, batch, out, accumulate);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_leakyReluForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x,
                                                                                   jint y, jint n, jfloat slope) {
    (void)cls;
    const operand ops[] = {{"x", x, n}, {"y", y, n}};
    if (!check(env, a, "leakyReluForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_leaky_relu_forward__neon(p + x, p + y, n, slope);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_leakyReluBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint x,
                                                                                    jint dy, jint dx, jint n, jfloat slope) {
    (void)cls;
    const operand ops[] = {{"x", x, n}, {"dy", dy, n}, {"dx", dx, n}};
    if (!check(env, a, "leakyReluBackward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_leaky_relu_backward__neon(p + x, p + dy, p + dx, n, slope);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_sigmoidForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x,
                                                                                 jint y, jint n) {
    (void)cls;
    const operand ops[] = {{"x", x, n}, {"y", y, n}};
    if (!check(env, a, "sigmoidForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_sigmoid_forward__neon(p + x, p + y, n);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_sigmoidBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint y,
                                                                                  jint dy, jint dx, jint n) {
    (void)cls;
    const operand ops[] = {{"y", y, n}, {"dy", dy, n}, {"dx", dx, n}};
    if (!check(env, a, "sigmoidBackward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_sigmoid_backward__neon(p + y, p + dy, p + dx, n);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_tanhForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint y,
                                                                              jint n) {
    (void)cls;
    const operand ops[] = {{"x", x, n}, {"y", y, n}};
    if (!check(env, a, "tanhForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_tanh_forward__neon(p + x, p + y, n);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_tanhBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint y,
                                                                               jint dy, jint dx, jint n) {
    (void)cls;
    const operand ops[] = {{"y", y, n}, {"dy", dy, n}, {"dx", dx, n}};
    if (!check(env, a, "tanhBackward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_tanh_backward__neon(p + y, p + dy, p + dx, n);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_softmaxForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x,
                                                                                 jint y, jint batch, jint n) {
    (void)cls;
    const operand ops[] = {{"x", x, M(batch, n)}, {"y", y, M(batch, n)}};
    if (!check(env, a, "softmaxForward", ops, NOPS(ops)) || !rows_not_empty(env, "softmaxForward", batch, n)) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_softmax_forward__neon(p + x, p + y, batch, n);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_softmaxBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint y,
                                                                                  jint dy, jint dx, jint batch, jint n) {
    (void)cls;
    const operand ops[] = {{"y", y, M(batch, n)}, {"dy", dy, M(batch, n)}, {"dx", dx, M(batch, n)}};
    if (!check(env, a, "softmaxBackward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_softmax_backward__neon(p + y, p + dy, p + dx, batch, n);
    UNPIN(env, a, p);
}

JNIEXPORT jfloat JNICALL Java_org_edgetrain_kernels_NativeKernels_softmaxCrossEntropy0(JNIEnv *env, jclass cls, jfloatArray a,
                                                                                        jint z, jint t, jint dz, jint batch,
                                                                                        jint n) {
    (void)cls;
    const operand ops[] = {{"z", z, M(batch, n)}, {"t", t, batch}, {"dz", dz, M(batch, n)}};
    if (!check(env, a, "softmaxCrossEntropy", ops, NOPS(ops)) || !rows_not_empty(env, "softmaxCrossEntropy", batch, n)) return 0.0f;
    float *p = PIN(env, a);
    if (!p) return 0.0f;
    float loss = et_f32_softmax_cross_entropy__neon(p + z, p + t, p + dz, batch, n);
    UNPIN(env, a, p);
    return loss;
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_sgdStep0(JNIEnv *env, jclass cls, jfloatArray a, jint pp, jint g,
                                                                          jint n, jfloat lr, jfloat wd) {
    (void)cls;
    const operand ops[] = {{"p", pp, n}, {"g", g, n}};
    if (!check(env, a, "sgdStep", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_sgd_step__neon(p + pp, p + g, n, lr, wd);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_momentumStep0(JNIEnv *env, jclass cls, jfloatArray a, jint pp,
                                                                               jint g, jint v, jint n, jfloat lr, jfloat momentum,
                                                                               jfloat wd, jboolean nesterov) {
    (void)cls;
    const operand ops[] = {{"p", pp, n}, {"g", g, n}, {"v", v, n}};
    if (!check(env, a, "momentumStep", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_momentum_step__neon(p + pp, p + g, p + v, n, lr, momentum, wd, nesterov ? 1 : 0);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_adamStep0(JNIEnv *env, jclass cls, jfloatArray a, jint pp, jint g,
                                                                           jint m, jint v, jint n, jfloat lr, jfloat beta1,
                                                                           jfloat beta2, jfloat eps, jfloat wd,
                                                                           jboolean decoupled, jfloat bc1, jfloat bc2) {
    (void)cls;
    const operand ops[] = {{"p", pp, n}, {"g", g, n}, {"m", m, n}, {"v", v, n}};
    if (!check(env, a, "adamStep", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_adam_step__neon(p + pp, p + g, p + m, p + v, n, lr, beta1, beta2, eps, wd, decoupled ? 1 : 0, bc1, bc2);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_rmspropStep0(JNIEnv *env, jclass cls, jfloatArray a, jint pp,
                                                                              jint g, jint s, jint n, jfloat lr, jfloat alpha,
                                                                              jfloat eps, jfloat wd) {
    (void)cls;
    const operand ops[] = {{"p", pp, n}, {"g", g, n}, {"s", s, n}};
    if (!check(env, a, "rmspropStep", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_rmsprop_step__neon(p + pp, p + g, p + s, n, lr, alpha, eps, wd);
    UNPIN(env, a, p);
}

JNIEXPORT jdouble JNICALL Java_org_edgetrain_kernels_NativeKernels_sumOfSquares0(JNIEnv *env, jclass cls, jfloatArray a, jint x,
                                                                                  jint n) {
    (void)cls;
    const operand ops[] = {{"x", x, n}};
    if (!check(env, a, "sumOfSquares", ops, NOPS(ops))) return 0.0;
    float *p = PIN(env, a);
    if (!p) return 0.0;
    double s = et_f32_sum_of_squares__neon(p + x, n);
    UNPIN(env, a, p);
    return s;
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_scale0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint n,
                                                                        jfloat s) {
    (void)cls;
    const operand ops[] = {{"x", x, n}};
    if (!check(env, a, "scale", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_scale__neon(p + x, n, s);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_clamp0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint n,
                                                                        jfloat limit) {
    (void)cls;
    const operand ops[] = {{"x", x, n}};
    if (!check(env, a, "clamp", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_clamp__neon(p + x, n, limit);
    UNPIN(env, a, p);
}

/* ---- time layers: shapes are checked as well as extents, since the kernels index by them ---- */

static int positive(JNIEnv *env, const char *kernel, const char *what, int64_t v, int64_t min) {
    if (v < min) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: %s = %lld (must be at least %lld)", kernel, what, (long long)v, (long long)min);
        throw_new(env, ET_CLASS_ILLEGAL_ARGUMENT, msg);
        return 0;
    }
    return 1;
}

/* The conv geometry: kernel, stride, dilation ≥ 1, padding ≥ 0, and every output step's first tap inside the padded
 * window (the kernels skip taps outside [0, in_time), so this only rules out nonsense, never a read outside x). */
static int conv_shape(JNIEnv *env, const char *kernel_name, jint batch, jint in_time, jint in_ch, jint out_time, jint kernel,
                      jint stride, jint dilation, jint pad) {
    return positive(env, kernel_name, "batch", batch, 0) && positive(env, kernel_name, "inTime", in_time, 0) &&
           positive(env, kernel_name, "inCh", in_ch, 0) && positive(env, kernel_name, "outTime", out_time, 0) &&
           positive(env, kernel_name, "kernel", kernel, 1) && positive(env, kernel_name, "stride", stride, 1) &&
           positive(env, kernel_name, "dilation", dilation, 1) && positive(env, kernel_name, "padLeft", pad, 0) &&
           (out_time == 0 || positive(env, kernel_name, "inTime + padLeft − (outTime − 1)·stride", in_time + (int64_t)pad - (int64_t)(out_time - 1) * stride, 1));
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_conv1dForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint w,
                                                                                jint b, jint y, jint pack, jint batch, jint in_time,
                                                                                jint in_ch, jint out_time, jint out_ch, jint kernel,
                                                                                jint stride, jint dilation, jint pad) {
    (void)cls;
    if (!conv_shape(env, "conv1dForward", batch, in_time, in_ch, out_time, kernel, stride, dilation, pad) ||
        !positive(env, "conv1dForward", "outCh", out_ch, 0))
        return;
    const operand ops[] = {{"x", x, M(batch, M(in_time, in_ch))}, {"w", w, M(out_ch, M(in_ch, kernel))}, {"b", b, b >= 0 ? out_ch : 0},
                           {"y", y, M(batch, M(out_time, out_ch))}, {"pack", pack, M(kernel, M(in_ch, (out_ch + 3) & ~3))}};
    if (!check(env, a, "conv1dForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_conv1d_forward__neon(p + x, p + w, b >= 0 ? p + b : NULL, p + y, p + pack, batch, in_time, in_ch, out_time, out_ch, kernel,
                                stride, dilation, pad);
    UNPIN(env, a, p);
}

static void im2col_call(JNIEnv *env, jfloatArray a, int adjoint, jint from, jint to, jint batch, jint in_time, jint in_ch, jint out_time,
                        jint kernel, jint stride, jint dilation, jint pad) {
    const char *name = adjoint ? "col2im" : "im2col";
    if (!conv_shape(env, name, batch, in_time, in_ch, out_time, kernel, stride, dilation, pad)) return;
    int64_t xs = M(batch, M(in_time, in_ch)), cols = M(batch, M(out_time, M(in_ch, kernel)));
    const operand ops[] = {{adjoint ? "dcol" : "x", from, adjoint ? cols : xs}, {adjoint ? "dx" : "col", to, adjoint ? xs : cols}};
    if (!check(env, a, name, ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    (adjoint ? et_f32_col2im__neon : et_f32_im2col__neon)(p + from, p + to, batch, in_time, in_ch, out_time, kernel, stride, dilation, pad);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_im2col0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint col,
                                                                         jint batch, jint in_time, jint in_ch, jint out_time, jint kernel,
                                                                         jint stride, jint dilation, jint pad) {
    (void)cls;
    im2col_call(env, a, 0, x, col, batch, in_time, in_ch, out_time, kernel, stride, dilation, pad);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_col2im0(JNIEnv *env, jclass cls, jfloatArray a, jint dcol, jint dx,
                                                                         jint batch, jint in_time, jint in_ch, jint out_time, jint kernel,
                                                                         jint stride, jint dilation, jint pad) {
    (void)cls;
    im2col_call(env, a, 1, dcol, dx, batch, in_time, in_ch, out_time, kernel, stride, dilation, pad);
}

/* Pooling windows must lie inside the input: (out_time − 1)·stride + kernel ≤ in_time. */
static int pool_shape(JNIEnv *env, const char *name, jint batch, jint in_time, jint ch, jint out_time, jint kernel, jint stride) {
    return positive(env, name, "batch", batch, 0) && positive(env, name, "inTime", in_time, 0) && positive(env, name, "ch", ch, 0) &&
           positive(env, name, "outTime", out_time, 0) && positive(env, name, "kernel", kernel, 1) && positive(env, name, "stride", stride, 1) &&
           (out_time == 0 ||
            positive(env, name, "inTime − (outTime − 1)·stride − kernel", in_time - (int64_t)(out_time - 1) * stride - kernel, 0));
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_maxPool1dForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint y,
                                                                                   jint arg, jint batch, jint in_time, jint ch,
                                                                                   jint out_time, jint kernel, jint stride) {
    (void)cls;
    if (!pool_shape(env, "maxPool1dForward", batch, in_time, ch, out_time, kernel, stride)) return;
    int64_t outs = M(batch, M(out_time, ch));
    const operand ops[] = {{"x", x, M(batch, M(in_time, ch))}, {"y", y, outs}, {"arg", arg, outs}};
    if (!check(env, a, "maxPool1dForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_maxpool1d_forward__neon(p + x, p + y, p + arg, batch, in_time, ch, out_time, kernel, stride);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_maxPool1dBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint dy,
                                                                                    jint arg, jint dx, jint batch, jint in_time, jint ch,
                                                                                    jint out_time) {
    (void)cls;
    if (!positive(env, "maxPool1dBackward", "batch", batch, 0) || !positive(env, "maxPool1dBackward", "inTime", in_time, 0) ||
        !positive(env, "maxPool1dBackward", "ch", ch, 0) || !positive(env, "maxPool1dBackward", "outTime", out_time, 0))
        return;
    int64_t outs = M(batch, M(out_time, ch));
    const operand ops[] = {{"dy", dy, outs}, {"arg", arg, outs}, {"dx", dx, M(batch, M(in_time, ch))}};
    if (!check(env, a, "maxPool1dBackward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_maxpool1d_backward__neon(p + dy, p + arg, p + dx, batch, in_time, ch, out_time);
    UNPIN(env, a, p);
}

static void avgpool_call(JNIEnv *env, jfloatArray a, int backward, jint from, jint to, jint batch, jint in_time, jint ch, jint out_time,
                         jint kernel, jint stride) {
    const char *name = backward ? "avgPool1dBackward" : "avgPool1dForward";
    if (!pool_shape(env, name, batch, in_time, ch, out_time, kernel, stride)) return;
    int64_t ins = M(batch, M(in_time, ch)), outs = M(batch, M(out_time, ch));
    const operand ops[] = {{backward ? "dy" : "x", from, backward ? outs : ins}, {backward ? "dx" : "y", to, backward ? ins : outs}};
    if (!check(env, a, name, ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    (backward ? et_f32_avgpool1d_backward__neon : et_f32_avgpool1d_forward__neon)(p + from, p + to, batch, in_time, ch, out_time, kernel,
                                                                                  stride);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_avgPool1dForward0(JNIEnv *env, jclass cls, jfloatArray a, jint x, jint y,
                                                                                   jint batch, jint in_time, jint ch, jint out_time,
                                                                                   jint kernel, jint stride) {
    (void)cls;
    avgpool_call(env, a, 0, x, y, batch, in_time, ch, out_time, kernel, stride);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_avgPool1dBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint dy,
                                                                                    jint dx, jint batch, jint in_time, jint ch,
                                                                                    jint out_time, jint kernel, jint stride) {
    (void)cls;
    avgpool_call(env, a, 1, dy, dx, batch, in_time, ch, out_time, kernel, stride);
}

/* rows of `width` floats `stride` apart: the extent of `batch` of them */
static int64_t strided(jint batch, jint stride, int64_t width) {
    return batch <= 0 ? 0 : M(batch - 1, stride) + width;
}

static int gru_shape(JNIEnv *env, const char *name, jint batch, jint hidden, jint stride) {
    return positive(env, name, "batch", batch, 0) && positive(env, name, "hidden", hidden, 1) &&
           positive(env, name, "row stride", stride, 3 * (int64_t)hidden);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_gruGatesForward0(JNIEnv *env, jclass cls, jfloatArray a, jint gx,
                                                                                  jint gx_stride, jint gh, jint gate, jint h_prev,
                                                                                  jint h_next, jint batch, jint hidden) {
    (void)cls;
    if (!gru_shape(env, "gruGatesForward", batch, hidden, gx_stride)) return;
    int64_t g3 = M(batch, 3 * (int64_t)hidden), hs = M(batch, hidden);
    const operand ops[] = {{"gx", gx, strided(batch, gx_stride, 3 * (int64_t)hidden)}, {"gh", gh, g3}, {"gate", gate, g3},
                           {"hPrev", h_prev, hs}, {"hNext", h_next, hs}};
    if (!check(env, a, "gruGatesForward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_gru_gates_forward__neon(p + gx, gx_stride, p + gh, p + gate, p + h_prev, p + h_next, batch, hidden);
    UNPIN(env, a, p);
}

JNIEXPORT void JNICALL Java_org_edgetrain_kernels_NativeKernels_gruGatesBackward0(JNIEnv *env, jclass cls, jfloatArray a, jint gate,
                                                                                   jint gh, jint h_prev, jint dh, jint dgx,
                                                                                   jint dgx_stride, jint dgh, jint batch, jint hidden) {
    (void)cls;
    if (!gru_shape(env, "gruGatesBackward", batch, hidden, dgx_stride)) return;
    int64_t g3 = M(batch, 3 * (int64_t)hidden), hs = M(batch, hidden);
    const operand ops[] = {{"gate", gate, g3}, {"gh", gh, g3}, {"hPrev", h_prev, hs}, {"dh", dh, hs},
                           {"dgx", dgx, strided(batch, dgx_stride, 3 * (int64_t)hidden)}, {"dgh", dgh, g3}};
    if (!check(env, a, "gruGatesBackward", ops, NOPS(ops))) return;
    float *p = PIN(env, a);
    if (!p) return;
    et_f32_gru_gates_backward__neon(p + gate, p + gh, p + h_prev, p + dh, p + dgx, dgx_stride, p + dgh, batch, hidden);
    UNPIN(env, a, p);
}
