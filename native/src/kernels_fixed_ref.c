/*
 * Fixed-point kernels, plain C reference (suffix __ref): the loops of org.edgetrain.fixed.JavaFixedKernels, exact
 * 64-bit sums then one narrowing (kernels_fixed_internal.h). The NEON versions must equal these bit for bit.
 */
#include "edgetrain_kernels.h"
#include "kernels_fixed_internal.h"

#include <stddef.h>

void et_q16_dense_forward__ref(const int16_t *x, const int16_t *w, const int16_t *b, int bias_shift, int16_t *y, int batch,
                               int in, int out, int shift, int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) {
        for (int o = 0; o < out; o++) {
            int64_t acc = b ? et_q_round_shift(b[o], -bias_shift) : 0;
            for (int i = 0; i < in; i++) acc += (int32_t)x[(size_t)r * in + i] * w[(size_t)o * in + i];
            y[(size_t)r * out + o] = et_q_narrow(acc, shift, &max, &sat);
        }
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_dense_input_grad__ref(const int16_t *dy, const int16_t *w, int16_t *dx, int batch, int in, int out, int shift,
                                  int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int r = 0; r < batch; r++) {
        for (int i = 0; i < in; i++) {
            int64_t acc = 0;
            for (int o = 0; o < out; o++) acc += (int32_t)dy[(size_t)r * out + o] * w[(size_t)o * in + i];
            dx[(size_t)r * in + i] = et_q_narrow(acc, shift, &max, &sat);
        }
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_dense_weight_grad__ref(const int16_t *dy, const int16_t *x, int16_t *dw, int batch, int in, int out, int shift,
                                   int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
            int64_t acc = 0;
            for (int r = 0; r < batch; r++) acc += (int32_t)dy[(size_t)r * out + o] * x[(size_t)r * in + i];
            dw[(size_t)o * in + i] = et_q_narrow(acc, shift, &max, &sat);
        }
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_bias_grad__ref(const int16_t *dy, int16_t *db, int batch, int out, int shift, int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int o = 0; o < out; o++) {
        int64_t acc = 0;
        for (int r = 0; r < batch; r++) acc += dy[(size_t)r * out + o];
        db[o] = et_q_narrow(acc, shift, &max, &sat);
    }
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_leaky_relu_forward__ref(const int16_t *x, int16_t *y, int n, int slope_q15, int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int i = 0; i < n; i++) y[i] = et_q_narrow(x[i] > 0 ? (int64_t)x[i] : (int64_t)x[i] * slope_q15, x[i] > 0 ? 0 : 15, &max, &sat);
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_leaky_relu_backward__ref(const int16_t *x, const int16_t *dy, int16_t *dx, int n, int slope_q15, int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int i = 0; i < n; i++) dx[i] = et_q_narrow(x[i] > 0 ? (int64_t)dy[i] : (int64_t)dy[i] * slope_q15, x[i] > 0 ? 0 : 15, &max, &sat);
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_multiply__ref(const int16_t *x, const int16_t *m, int16_t *y, int n, int shift, int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int i = 0; i < n; i++) y[i] = et_q_narrow((int32_t)x[i] * m[i], shift, &max, &sat);
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_sgd_step__ref(int16_t *p, const int16_t *g, int n, int gm, int gs, int pm, int ps, uint32_t key, int stochastic,
                          int64_t *stats) {
    int64_t max = stats[0], sat = 0;
    for (int i = 0; i < n; i++) p[i] = et_q_sgd_element(p[i], g[i], (uint32_t)i, gm, gs, pm, ps, key, stochastic, &max, &sat);
    stats[0] = max;
    stats[1] += sat;
}

void et_q16_momentum_step__ref(int16_t *p, const int16_t *g, int16_t *v, int n, int vm, int vs, int gm, int gs, int pm, int ps,
                               int lm, int ls, uint32_t key_v, uint32_t key_p, int stochastic, int64_t *stats_v, int64_t *stats_p) {
    int64_t max_v = stats_v[0], sat_v = 0, max_p = stats_p[0], sat_p = 0;
    for (int i = 0; i < n; i++) {
        et_q_momentum_element(p, g, v, (uint32_t)i, vm, vs, gm, gs, pm, ps, lm, ls, key_v ^ key_p, stochastic, &max_v, &sat_v,
                              &max_p, &sat_p);
    }
    stats_v[0] = max_v;
    stats_v[1] += sat_v;
    stats_p[0] = max_p;
    stats_p[1] += sat_p;
}

void et_q16_dense_grad_momentum__ref(const int16_t *dy, const int16_t *x, int16_t *dw, int16_t *p, int16_t *v, int in, int out,
                                     int shift, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls, uint32_t key_v,
                                     uint32_t key_p, int stochastic, int64_t *stats_g, int64_t *stats_v, int64_t *stats_p) {
    if (x) et_q16_dense_weight_grad__ref(dy, x, dw, 1, in, out, shift, stats_g);
    else et_q16_bias_grad__ref(dy, dw, 1, out, shift, stats_g);
    et_q16_momentum_step__ref(p, dw, v, out * (x ? in : 1), vm, vs, gm, gs, pm, ps, lm, ls, key_v, key_p, stochastic, stats_v, stats_p);
}
