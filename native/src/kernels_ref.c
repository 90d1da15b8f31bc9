/*
 * The plain C reference kernels (suffix __ref): portable C, compiled everywhere, the yardstick of the C tests.
 *
 * Each one mirrors org.edgetrain.kernels.JavaKernels operation by operation (the same summation order and grouping,
 * float arithmetic where Java uses float, double where Java uses double), so with -ffp-contract=off (no fused
 * multiply-add that Java would not do) they give Java's bits, except where Java's Math.exp/log/tanh and libm differ
 * in the last place. One deliberate difference: softmax_cross_entropy with a class index outside [0, n) returns NaN
 * and writes nothing outside the row, where Java would index another row of the arena.
 */
#include <string.h>
#include "glibc_compat.h"
#include "edgetrain_kernels.h"

#include <math.h>
#include <stddef.h>

void et_f32_dense_forward__ref(const float *x, const float *w, const float *b, float *y, int batch, int in, int out) {
    for (int s = 0; s < batch; s++) {
        const float *xr = x + (size_t)s * in;
        for (int o = 0; o < out; o++) {
            const float *wr = w + (size_t)o * in;
            float acc = 0.0f;
            for (int i = 0; i < in; i++) acc += xr[i] * wr[i];  // y = Σ_i x·w, then + b
            y[(size_t)s * out + o] = b ? acc + b[o] : acc;
        }
    }
}

void et_f32_dense_input_grad__ref(const float *dy, const float *w, float *dx, int batch, int in, int out) {
    // dX[s, :] = Σ_o dY[s, o] · W[o, :], four rows of W per pass (Java's grouping)
    for (int s = 0; s < batch; s++) {
        float *d = dx + (size_t)s * in;
        const float *g = dy + (size_t)s * out;
        for (int i = 0; i < in; i++) d[i] = 0.0f;
        int o = 0;
        for (; o + 4 <= out; o += 4) {
            float g0 = g[o], g1 = g[o + 1], g2 = g[o + 2], g3 = g[o + 3];
            const float *w0 = w + (size_t)o * in, *w1 = w0 + in, *w2 = w1 + in, *w3 = w2 + in;
            for (int i = 0; i < in; i++) d[i] += g0 * w0[i] + g1 * w1[i] + g2 * w2[i] + g3 * w3[i];
        }
        for (; o < out; o++) {
            float g0 = g[o];
            const float *w0 = w + (size_t)o * in;
            for (int i = 0; i < in; i++) d[i] += g0 * w0[i];
        }
    }
}

void et_f32_dense_weight_grad__ref(const float *dy, const float *x, float *dw, int batch, int in, int out, int accumulate) {
    if (!accumulate) memset(dw, 0, (size_t)out * in * sizeof(float)); // the reference: overwrite = zero, then accumulate
    // dW[o, :] += Σ_s dY[s, o] · X[s, :], four rows of the batch per pass (Java's grouping), then one at a time
    int s = 0;
    for (; s + 4 <= batch; s += 4) {
        const float *x0 = x + (size_t)s * in, *x1 = x0 + in, *x2 = x1 + in, *x3 = x2 + in;
        const float *g = dy + (size_t)s * out;
        for (int o = 0; o < out; o++) {
            float *d = dw + (size_t)o * in;
            float g0 = g[o], g1 = g[out + o], g2 = g[2 * out + o], g3 = g[3 * out + o];
            for (int i = 0; i < in; i++) d[i] += g0 * x0[i] + g1 * x1[i] + g2 * x2[i] + g3 * x3[i];
        }
    }
    for (; s < batch; s++) {
        const float *x0 = x + (size_t)s * in;
        const float *g = dy + (size_t)s * out;
        for (int o = 0; o < out; o++) {
            float *d = dw + (size_t)o * in;
            float g0 = g[o];
            for (int i = 0; i < in; i++) d[i] += g0 * x0[i];
        }
    }
}

void et_f32_bias_grad__ref(const float *dy, float *db, int batch, int out, int accumulate) {
    if (!accumulate) memset(db, 0, (size_t)out * sizeof(float));
    for (int s = 0; s < batch; s++) {
        const float *g = dy + (size_t)s * out;
        for (int o = 0; o < out; o++) db[o] += g[o];
    }
}

void et_f32_leaky_relu_forward__ref(const float *x, float *y, int n, float slope) {
    for (int i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

void et_f32_leaky_relu_backward__ref(const float *x, const float *dy, float *dx, int n, float slope) {
    for (int i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i];
}

/* Stable for large |x|: never evaluates e^(+large). */
static float sigmoid(float v) {
    if (v >= 0.0f) return (float)(1.0 / (1.0 + exp(-(double)v)));
    double e = exp((double)v);
    return (float)(e / (1.0 + e));
}

void et_f32_sigmoid_forward__ref(const float *x, float *y, int n) {
    for (int i = 0; i < n; i++) y[i] = sigmoid(x[i]);
}

void et_f32_sigmoid_backward__ref(const float *y, const float *dy, float *dx, int n) {
    for (int i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1.0f - y[i]);  // dσ/dx = σ(1−σ)
}

void et_f32_tanh_forward__ref(const float *x, float *y, int n) {
    for (int i = 0; i < n; i++) y[i] = (float)tanh((double)x[i]);
}

void et_f32_tanh_backward__ref(const float *y, const float *dy, float *dx, int n) {
    for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);  // d tanh/dx = 1 − tanh²
}

/* Java's Math.max/min for floats: NaN wins, and +0 > −0. */
static float java_maxf(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? b : a;
    return a >= b ? a : b;
}

static float java_minf(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? a : b;
    return a <= b ? a : b;
}

void et_f32_softmax_forward__ref(const float *x, float *y, int batch, int n) {
    for (int s = 0; s < batch; s++) {
        const float *xr = x + (size_t)s * n;
        float *yr = y + (size_t)s * n;
        float max = xr[0];
        for (int j = 1; j < n; j++) max = java_maxf(max, xr[j]);
        float sum = 0.0f;
        for (int j = 0; j < n; j++) {
            float e = (float)exp((double)(xr[j] - max));
            yr[j] = e;
            sum += e;
        }
        float inv = 1.0f / sum;
        for (int j = 0; j < n; j++) yr[j] *= inv;
    }
}

void et_f32_softmax_backward__ref(const float *y, const float *dy, float *dx, int batch, int n) {
    for (int s = 0; s < batch; s++) {
        const float *yr = y + (size_t)s * n, *gr = dy + (size_t)s * n;
        float *dr = dx + (size_t)s * n;
        float dot = 0.0f;
        for (int j = 0; j < n; j++) dot += gr[j] * yr[j];
        for (int j = 0; j < n; j++) dr[j] = yr[j] * (gr[j] - dot);  // dx = y ⊙ (dy − Σ dy⊙y)
    }
}

/* Java's (int) of the stored class index, or −1 when it does not name a column of the row (NaN included). */
static int class_index(float t, int n) {
    if (!(t > -1.0f && t < (float)n)) return -1;
    return (int)t;
}

float et_f32_softmax_cross_entropy__ref(const float *z, const float *t, float *dz, int batch, int n) {
    double total = 0.0;
    float invBatch = 1.0f / (float)batch;
    for (int s = 0; s < batch; s++) {
        const float *zr = z + (size_t)s * n;
        float *dr = dz + (size_t)s * n;
        int target = class_index(t[s], n);
        float max = zr[0];
        for (int j = 1; j < n; j++) max = java_maxf(max, zr[j]);
        float sum = 0.0f;
        for (int j = 0; j < n; j++) {
            float e = (float)exp((double)(zr[j] - max));
            dr[j] = e;
            sum += e;
        }
        // −log p_t = log Σ e^(z − max) − (z_t − max)
        total += target >= 0 ? log((double)sum) - (double)(zr[target] - max) : NAN;
        float scale = invBatch / sum;
        for (int j = 0; j < n; j++) dr[j] *= scale;
        if (target >= 0) dr[target] -= invBatch;
    }
    return (float)(total / batch);
}

void et_f32_sgd_step__ref(float *p, const float *g, int n, float lr, float wd) {
    if (wd != 0.0f) {
        for (int i = 0; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
    } else {
        for (int i = 0; i < n; i++) p[i] -= lr * g[i];
    }
}

void et_f32_momentum_step__ref(float *p, const float *g, float *v, int n, float lr, float momentum, float wd,
                               int nesterov) {
    for (int i = 0; i < n; i++) {
        float grad = g[i] + wd * p[i];
        float vel = momentum * v[i] + grad;
        v[i] = vel;
        p[i] -= lr * (nesterov ? grad + momentum * vel : vel);
    }
}

void et_f32_adam_step__ref(float *p, const float *g, float *m, float *v, int n, float lr, float beta1, float beta2,
                           float eps, float wd, int decoupled, float bc1, float bc2) {
    float stepSize = lr / bc1;
    float sqrtBc2 = sqrtf(bc2);  // == (float) Math.sqrt(bc2): both correctly rounded
    float coupled = decoupled ? 0.0f : wd;
    float shrink = decoupled ? 1.0f - lr * wd : 1.0f;
    for (int i = 0; i < n; i++) {
        float grad = g[i] + coupled * p[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * grad;
        float vi = beta2 * v[i] + (1.0f - beta2) * grad * grad;
        m[i] = mi;
        v[i] = vi;
        float denom = sqrtf(vi) / sqrtBc2 + eps;
        p[i] = p[i] * shrink - stepSize * mi / denom;
    }
}

void et_f32_rmsprop_step__ref(float *p, const float *g, float *s, int n, float lr, float alpha, float eps, float wd) {
    for (int i = 0; i < n; i++) {
        float grad = g[i] + wd * p[i];
        float si = alpha * s[i] + (1.0f - alpha) * grad * grad;
        s[i] = si;
        p[i] -= lr * grad / (sqrtf(si) + eps);
    }
}

double et_f32_sum_of_squares__ref(const float *x, int n) {
    // eight double accumulators by i mod 8, the tail into the first (Java's order): products of floats are exact
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        double v0 = x[i], v1 = x[i + 1], v2 = x[i + 2], v3 = x[i + 3];
        double v4 = x[i + 4], v5 = x[i + 5], v6 = x[i + 6], v7 = x[i + 7];
        s0 += v0 * v0; s1 += v1 * v1; s2 += v2 * v2; s3 += v3 * v3;
        s4 += v4 * v4; s5 += v5 * v5; s6 += v6 * v6; s7 += v7 * v7;
    }
    for (; i < n; i++) {
        double v = x[i];
        s0 += v * v;
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

void et_f32_scale__ref(float *x, int n, float s) {
    for (int i = 0; i < n; i++) x[i] *= s;
}

void et_f32_clamp__ref(float *x, int n, float limit) {
    for (int i = 0; i < n; i++) x[i] = java_minf(java_maxf(x[i], -limit), limit);
}
