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

/* ---- time layers: the same loops as org.edgetrain.kernels.TimeKernels ---- */

void et_f32_conv1d_forward__ref(const float *x, const float *w, const float *b, float *y, float *pack, int batch, int in_time,
                                int in_ch, int out_time, int out_ch, int kernel, int stride, int dilation, int pad) {
    (void)pack;
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * in_ch;
        for (int t = 0; t < out_time; t++) {
            float *yr = y + ((size_t)n * out_time + t) * out_ch;
            for (int o = 0; o < out_ch; o++) {
                float acc = b ? b[o] : 0.0f;
                for (int k = 0; k < kernel; k++) {
                    int ti = t * stride + k * dilation - pad;
                    if (ti < 0 || ti >= in_time) continue;
                    for (int c = 0; c < in_ch; c++) acc += w[((size_t)o * in_ch + c) * kernel + k] * xs[(size_t)ti * in_ch + c];
                }
                yr[o] = acc;
            }
        }
    }
}

void et_f32_im2col__ref(const float *x, float *col, int batch, int in_time, int in_ch, int out_time, int kernel, int stride,
                        int dilation, int pad) {
    int cw = in_ch * kernel;
    for (int n = 0; n < batch; n++) {
        for (int t = 0; t < out_time; t++) {
            float *row = col + ((size_t)n * out_time + t) * cw;
            for (int k = 0; k < kernel; k++) {
                int ti = t * stride + k * dilation - pad;
                for (int c = 0; c < in_ch; c++)
                    row[c * kernel + k] = (ti < 0 || ti >= in_time) ? 0.0f : x[((size_t)n * in_time + ti) * in_ch + c];
            }
        }
    }
}

void et_f32_col2im__ref(const float *dcol, float *dx, int batch, int in_time, int in_ch, int out_time, int kernel, int stride,
                        int dilation, int pad) {
    memset(dx, 0, sizeof(float) * (size_t)batch * in_time * in_ch);
    int cw = in_ch * kernel;
    for (int n = 0; n < batch; n++) {
        for (int t = 0; t < out_time; t++) {
            const float *row = dcol + ((size_t)n * out_time + t) * cw;
            for (int k = 0; k < kernel; k++) {
                int ti = t * stride + k * dilation - pad;
                if (ti < 0 || ti >= in_time) continue;
                for (int c = 0; c < in_ch; c++) dx[((size_t)n * in_time + ti) * in_ch + c] += row[c * kernel + k];
            }
        }
    }
}

void et_f32_maxpool1d_forward__ref(const float *x, float *y, float *arg, int batch, int in_time, int ch, int out_time, int kernel,
                                   int stride) {
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * ch;
        for (int t = 0; t < out_time; t++) {
            int t0 = t * stride;
            for (int c = 0; c < ch; c++) {
                int best = t0;
                float m = xs[(size_t)t0 * ch + c];
                for (int k = 1; k < kernel && m == m; k++) {
                    float v = xs[(size_t)(t0 + k) * ch + c];
                    if (v > m || v != v) {
                        m = v;
                        best = t0 + k;
                    }
                }
                y[((size_t)n * out_time + t) * ch + c] = m;
                arg[((size_t)n * out_time + t) * ch + c] = (float)best;
            }
        }
    }
}

void et_f32_maxpool1d_backward__ref(const float *dy, const float *arg, float *dx, int batch, int in_time, int ch, int out_time) {
    memset(dx, 0, sizeof(float) * (size_t)batch * in_time * ch);
    for (int n = 0; n < batch; n++) {
        for (int i = 0; i < out_time * ch; i++) {
            size_t at = (size_t)n * out_time * ch + i;
            float f = arg[at];
            if (f >= 0.0f && f < (float)in_time) dx[((size_t)n * in_time + (int)f) * ch + i % ch] += dy[at];
        }
    }
}

void et_f32_avgpool1d_forward__ref(const float *x, float *y, int batch, int in_time, int ch, int out_time, int kernel, int stride) {
    float inv = 1.0f / kernel;
    for (int n = 0; n < batch; n++) {
        const float *xs = x + (size_t)n * in_time * ch;
        for (int t = 0; t < out_time; t++) {
            for (int c = 0; c < ch; c++) {
                float s = 0.0f;
                for (int k = 0; k < kernel; k++) s += xs[(size_t)(t * stride + k) * ch + c];
                y[((size_t)n * out_time + t) * ch + c] = s * inv;
            }
        }
    }
}

void et_f32_avgpool1d_backward__ref(const float *dy, float *dx, int batch, int in_time, int ch, int out_time, int kernel, int stride) {
    memset(dx, 0, sizeof(float) * (size_t)batch * in_time * ch);
    float inv = 1.0f / kernel;
    for (int n = 0; n < batch; n++) {
        float *xs = dx + (size_t)n * in_time * ch;
        for (int t = 0; t < out_time; t++) {
            for (int c = 0; c < ch; c++) {
                float g = dy[((size_t)n * out_time + t) * ch + c] * inv;
                for (int k = 0; k < kernel; k++) xs[(size_t)(t * stride + k) * ch + c] += g;
            }
        }
    }
}

void et_f32_gru_gates_forward__ref(const float *gx, int gx_stride, const float *gh, float *gate, const float *h_prev, float *h_next,
                                   int batch, int hidden) {
    int g3 = 3 * hidden;
    for (int n = 0; n < batch; n++) {
        const float *gxr = gx + (size_t)n * gx_stride, *ghr = gh + (size_t)n * g3, *hp = h_prev + (size_t)n * hidden;
        float *gr = gate + (size_t)n * g3, *hn = h_next + (size_t)n * hidden;
        for (int j = 0; j < hidden; j++) {
            float r = (float)(1.0 / (1.0 + exp(-(double)(gxr[j] + ghr[j]))));
            float z = (float)(1.0 / (1.0 + exp(-(double)(gxr[hidden + j] + ghr[hidden + j]))));
            float v = gxr[2 * hidden + j] + r * ghr[2 * hidden + j];
            float nn = (float)(1.0 - 2.0 / (exp(2.0 * v) + 1.0));
            gr[j] = r;
            gr[hidden + j] = z;
            gr[2 * hidden + j] = nn;
            hn[j] = (1.0f - z) * nn + z * hp[j];
        }
    }
}

void et_f32_gru_gates_backward__ref(const float *gate, const float *gh, const float *h_prev, float *dh, float *dgx, int dgx_stride,
                                    float *dgh, int batch, int hidden) {
    int g3 = 3 * hidden;
    for (int n = 0; n < batch; n++) {
        const float *gr = gate + (size_t)n * g3, *ghr = gh + (size_t)n * g3, *hp = h_prev + (size_t)n * hidden;
        float *d = dh + (size_t)n * hidden, *dgxr = dgx + (size_t)n * dgx_stride, *dghr = dgh + (size_t)n * g3;
        for (int j = 0; j < hidden; j++) {
            float r = gr[j], z = gr[hidden + j], nn = gr[2 * hidden + j];
            float g = d[j];
            float dn = g * (1.0f - z) * (1.0f - nn * nn);
            float dz = g * (hp[j] - nn) * z * (1.0f - z);
            float dr = dn * ghr[2 * hidden + j] * r * (1.0f - r);
            dgxr[j] = dr;
            dgxr[hidden + j] = dz;
            dgxr[2 * hidden + j] = dn;
            dghr[j] = dr;
            dghr[hidden + j] = dz;
            dghr[2 * hidden + j] = dn * r;
            d[j] = g * z;
        }
    }
}
