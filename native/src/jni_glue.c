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
