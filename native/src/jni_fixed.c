/*
 * JNI entry points of org.edgetrain.fixed.NativeFixedKernels: the fixed-point products over the int16 block of the
 * arena. As in jni_glue.c: operands checked against the array length in 64-bit arithmetic BEFORE pinning (a bad
 * offset throws IndexOutOfBoundsException), the arena pinned with GetPrimitiveArrayCritical for one kernel call with
 * no JNI call inside, and the two statistics read and written with Get/SetLongArrayRegion outside the critical region.
 */
#include <jni.h>
#include <stdint.h>
#include <stdio.h>

#include "edgetrain_kernels.h"

typedef struct {
    const char *name;
    jint off;
    int64_t count;
} q_operand;

static int q_check(JNIEnv *env, jshortArray a, jlongArray stats, const char *kernel, const q_operand *ops, int n) {
    if (a == NULL || stats == NULL) {
        jclass c = (*env)->FindClass(env, "java/lang/NullPointerException");
        if (c) (*env)->ThrowNew(env, c, kernel);
        return 0;
    }
    jsize len = (*env)->GetArrayLength(env, a);
    if ((*env)->GetArrayLength(env, stats) < 2) {
        jclass c = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
        if (c) (*env)->ThrowNew(env, c, "stats needs 2 longs");
        return 0;
    }
    for (int k = 0; k < n; k++) {
        const q_operand *o = &ops[k];
        if (o->count < 0 || (o->count > 0 && (o->off < 0 || (int64_t)o->off + o->count > (int64_t)len))) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: %s = [%d, %lld) is outside the int16 arena of %d values", kernel, o->name, (int)o->off,
                     (long long)o->off + o->count, (int)len);
            jclass c = (*env)->FindClass(env, "java/lang/IndexOutOfBoundsException");
            if (c) (*env)->ThrowNew(env, c, msg);
            return 0;
        }
    }
    return 1;
}

JNIEXPORT jint JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_probe0(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return 1;
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_denseForward0(JNIEnv *env, jclass cls, jshortArray a, jint x,
        jint w, jint b, jint biasShift, jint y, jint batch, jint in, jint out, jint shift, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"x", x, (int64_t)batch * in}, {"w", w, (int64_t)out * in}, {"b", b, b < 0 ? 0 : out},
                       {"y", y, (int64_t)batch * out}};
    if (!q_check(env, a, stats, "q16 dense forward", ops, 4)) return;
    jlong s[2];
    (*env)->GetLongArrayRegion(env, stats, 0, 2, s);
    int64_t st[2] = {s[0], s[1]};
    int16_t *p = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (!p) return;
    et_q16_dense_forward__neon(p + x, p + w, b < 0 ? NULL : p + b, biasShift, p + y, batch, in, out, shift, st);
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0);
    s[0] = st[0];
    s[1] = st[1];
    (*env)->SetLongArrayRegion(env, stats, 0, 2, s);
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_denseInputGrad0(JNIEnv *env, jclass cls, jshortArray a, jint dy,
        jint w, jint dx, jint batch, jint in, jint out, jint shift, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"dy", dy, (int64_t)batch * out}, {"w", w, (int64_t)out * in}, {"dx", dx, (int64_t)batch * in}};
    if (!q_check(env, a, stats, "q16 dense input grad", ops, 3)) return;
    jlong s[2];
    (*env)->GetLongArrayRegion(env, stats, 0, 2, s);
    int64_t st[2] = {s[0], s[1]};
    int16_t *p = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (!p) return;
    et_q16_dense_input_grad__neon(p + dy, p + w, p + dx, batch, in, out, shift, st);
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0);
    s[0] = st[0];
    s[1] = st[1];
    (*env)->SetLongArrayRegion(env, stats, 0, 2, s);
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_denseWeightGrad0(JNIEnv *env, jclass cls, jshortArray a, jint dy,
        jint x, jint dw, jint batch, jint in, jint out, jint shift, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"dy", dy, (int64_t)batch * out}, {"x", x, (int64_t)batch * in}, {"dw", dw, (int64_t)out * in}};
    if (!q_check(env, a, stats, "q16 dense weight grad", ops, 3)) return;
    jlong s[2];
    (*env)->GetLongArrayRegion(env, stats, 0, 2, s);
    int64_t st[2] = {s[0], s[1]};
    int16_t *p = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (!p) return;
    et_q16_dense_weight_grad__neon(p + dy, p + x, p + dw, batch, in, out, shift, st);
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0);
    s[0] = st[0];
    s[1] = st[1];
    (*env)->SetLongArrayRegion(env, stats, 0, 2, s);
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_sgdStep0(JNIEnv *env, jclass cls, jshortArray a, jint p, jint g,
        jint n, jint gm, jint gs, jint pm, jint ps, jint key, jboolean stochastic, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"p", p, n}, {"g", g, n}};
    if (!q_check(env, a, stats, "q16 sgd step", ops, 2)) return;
    jlong s[2];
    (*env)->GetLongArrayRegion(env, stats, 0, 2, s);
    int64_t st[2] = {s[0], s[1]};
    int16_t *arena = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (!arena) return;
    et_q16_sgd_step__neon(arena + p, arena + g, n, gm, gs, pm, ps, (uint32_t)key, stochastic ? 1 : 0, st);
    (*env)->ReleasePrimitiveArrayCritical(env, a, arena, 0);
    s[0] = st[0];
    s[1] = st[1];
    (*env)->SetLongArrayRegion(env, stats, 0, 2, s);
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_momentumStep0(JNIEnv *env, jclass cls, jshortArray a, jint p,
        jint g, jint v, jint n, jint vm, jint vs, jint gm, jint gs, jint pm, jint ps, jint lm, jint ls, jint keyV, jint keyP,
        jboolean stochastic, jlongArray statsV, jlongArray statsP) {
    (void)cls;
    q_operand ops[] = {{"p", p, n}, {"g", g, n}, {"v", v, n}};
    if (!q_check(env, a, statsV, "q16 momentum step", ops, 3) || !q_check(env, a, statsP, "q16 momentum step", ops, 0)) return;
    jlong sv[2], sp[2];
    (*env)->GetLongArrayRegion(env, statsV, 0, 2, sv);
    (*env)->GetLongArrayRegion(env, statsP, 0, 2, sp);
    int64_t tv[2] = {sv[0], sv[1]}, tp[2] = {sp[0], sp[1]};
    int16_t *arena = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (!arena) return;
    et_q16_momentum_step__neon(arena + p, arena + g, arena + v, n, vm, vs, gm, gs, pm, ps, lm, ls, (uint32_t)keyV, (uint32_t)keyP,
                               stochastic ? 1 : 0, tv, tp);
    (*env)->ReleasePrimitiveArrayCritical(env, a, arena, 0);
    sv[0] = tv[0];
    sv[1] = tv[1];
    sp[0] = tp[0];
    sp[1] = tp[1];
    (*env)->SetLongArrayRegion(env, statsV, 0, 2, sv);
    (*env)->SetLongArrayRegion(env, statsP, 0, 2, sp);
}

/* The elementwise kernels and the bias gradient: one pinned call each, the same checks and statistics as above. */
#define Q_STATS_IN \
    jlong s[2]; \
    (*env)->GetLongArrayRegion(env, stats, 0, 2, s); \
    int64_t st[2] = {s[0], s[1]}; \
    int16_t *p = (*env)->GetPrimitiveArrayCritical(env, a, NULL); \
    if (!p) return;
#define Q_STATS_OUT \
    (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0); \
    s[0] = st[0]; \
    s[1] = st[1]; \
    (*env)->SetLongArrayRegion(env, stats, 0, 2, s);

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_biasGrad0(JNIEnv *env, jclass cls, jshortArray a, jint dy, jint db,
        jint batch, jint out, jint shift, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"dy", dy, (int64_t)batch * out}, {"db", db, out}};
    if (!q_check(env, a, stats, "q16 bias grad", ops, 2)) return;
    Q_STATS_IN
    et_q16_bias_grad__neon(p + dy, p + db, batch, out, shift, st);
    Q_STATS_OUT
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_leakyReluForward0(JNIEnv *env, jclass cls, jshortArray a, jint x,
        jint y, jint n, jint slope, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"x", x, n}, {"y", y, n}};
    if (!q_check(env, a, stats, "q16 leaky relu forward", ops, 2)) return;
    Q_STATS_IN
    et_q16_leaky_relu_forward__neon(p + x, p + y, n, slope, st);
    Q_STATS_OUT
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_leakyReluBackward0(JNIEnv *env, jclass cls, jshortArray a, jint x,
        jint dy, jint dx, jint n, jint slope, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"x", x, n}, {"dy", dy, n}, {"dx", dx, n}};
    if (!q_check(env, a, stats, "q16 leaky relu backward", ops, 3)) return;
    Q_STATS_IN
    et_q16_leaky_relu_backward__neon(p + x, p + dy, p + dx, n, slope, st);
    Q_STATS_OUT
}

JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_multiply0(JNIEnv *env, jclass cls, jshortArray a, jint x, jint m,
        jint y, jint n, jint shift, jlongArray stats) {
    (void)cls;
    q_operand ops[] = {{"x", x, n}, {"m", m, n}, {"y", y, n}};
    if (!q_check(env, a, stats, "q16 multiply", ops, 3)) return;
    Q_STATS_IN
    et_q16_multiply__neon(p + x, p + m, p + y, n, shift, st);
    Q_STATS_OUT
}

/* Batch 1: weight (x ≥ 0) or bias (x < 0) gradient fused into momentum; u holds the ten coefficients and keys
 * (FixedKernels.VM .. KEY_P), read with GetIntArrayRegion like the statistics. */
JNIEXPORT void JNICALL Java_org_edgetrain_fixed_NativeFixedKernels_denseGradMomentum0(JNIEnv *env, jclass cls, jshortArray a, jint dy,
        jint x, jint dw, jint p, jint v, jint in, jint out, jint shift, jintArray u, jboolean stochastic, jlongArray statsG,
        jlongArray statsV, jlongArray statsP) {
    (void)cls;
    int64_t n = x >= 0 ? (int64_t)in * out : out;
    q_operand ops[] = {{"dy", dy, out}, {"x", x, x >= 0 ? in : 0}, {"dw", dw, n}, {"p", p, n}, {"v", v, n}};
    if (!q_check(env, a, statsG, "q16 dense grad momentum", ops, 5) || !q_check(env, a, statsV, "q16 dense grad momentum", ops, 0)
        || !q_check(env, a, statsP, "q16 dense grad momentum", ops, 0)) return;
    if (u == NULL || (*env)->GetArrayLength(env, u) < 10) {
        jclass c = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
        if (c) (*env)->ThrowNew(env, c, "q16 dense grad momentum: the coefficients need 10 ints");
        return;
    }
    jint k[10];
    (*env)->GetIntArrayRegion(env, u, 0, 10, k);
    jlong sg[2], sv[2], sp[2];
    (*env)->GetLongArrayRegion(env, statsG, 0, 2, sg);
    (*env)->GetLongArrayRegion(env, statsV, 0, 2, sv);
    (*env)->GetLongArrayRegion(env, statsP, 0, 2, sp);
    int64_t tg[2] = {sg[0], sg[1]}, tv[2] = {sv[0], sv[1]}, tp[2] = {sp[0], sp[1]};
    int16_t *arena = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    if (!arena) return;
    et_q16_dense_grad_momentum__neon(arena + dy, x >= 0 ? arena + x : NULL, arena + dw, arena + p, arena + v, in, out, shift, k[0], k[1],
                                     k[2], k[3], k[4], k[5], k[6], k[7], (uint32_t)k[8], (uint32_t)k[9], stochastic ? 1 : 0, tg, tv, tp);
    (*env)->ReleasePrimitiveArrayCritical(env, a, arena, 0);
    sg[0] = tg[0], sg[1] = tg[1], sv[0] = tv[0], sv[1] = tv[1], sp[0] = tp[0], sp[1] = tp[1];
    (*env)->SetLongArrayRegion(env, statsG, 0, 2, sg);
    (*env)->SetLongArrayRegion(env, statsV, 0, 2, sv);
    (*env)->SetLongArrayRegion(env, statsP, 0, 2, sp);
}
