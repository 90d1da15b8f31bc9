/*
 * edgetrain kernels: one C signature per kernel family, shared by the plain C reference (suffix __ref), the NEON
 * version (suffix __neon; on x86-64 the same source builds through SIMDe) and the JNI glue.
 *
 * The Java reference (org.edgetrain.kernels.JavaKernels) defines the semantics; these must match it: fp32 within a
 * tolerance that scales with the reduction length, the same overwrite/accumulate rules, and nothing written outside
 * the outputs. All matrices are row-major floats:
 *   X[batch, in]  W[out, in] (PyTorch's nn.Linear layout)  b[out] (NULL: no bias)  Y[batch, out]
 */
#ifndef EDGETRAIN_KERNELS_H
#define EDGETRAIN_KERNELS_H

/* The JNI interface version, reported by NativeKernels.abiVersion(): the loader uses a library only when it equals
 * org.edgetrain.kernels.NativeKernels.ABI, so a stale libedgetrain.so from an older install is never bound to a
 * newer jar. Bump both whenever a native method of NativeKernels or NativeFixedKernels changes. A library without
 * abiVersion() predates the handshake (version 1). */
#define ET_JNI_ABI 3

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One kernel family = one signature; VARIANT is __ref or __neon. */
#define ET_KERNELS(VARIANT) \
  /* Y = X·Wᵀ + b (overwrites Y) */ \
  void et_f32_dense_forward##VARIANT(const float *x, const float *w, const float *b, float *y, int batch, int in, int out); \
  /* dX = dY·W (overwrites dX) */ \
  void et_f32_dense_input_grad##VARIANT(const float *dy, const float *w, float *dx, int batch, int in, int out); \
  /* dW += dYᵀ·X if accumulate, else dW = dYᵀ·X (the bits of zeroing dW first, without reading it) */ \
  void et_f32_dense_weight_grad##VARIANT(const float *dy, const float *x, float *dw, int batch, int in, int out, int accumulate); \
  /* db += Σ_batch dY if accumulate, else db = Σ_batch dY (as if zeroed first) */ \
  void et_f32_bias_grad##VARIANT(const float *dy, float *db, int batch, int out, int accumulate); \
  /* y = x > 0 ? x : slope·x ; dx = x > 0 ? dy : slope·dy (ReLU is slope 0) */ \
  void et_f32_leaky_relu_forward##VARIANT(const float *x, float *y, int n, float slope); \
  void et_f32_leaky_relu_backward##VARIANT(const float *x, const float *dy, float *dx, int n, float slope); \
  /* y = 1/(1+e^-x) ; dx = dy·y·(1−y) */ \
  void et_f32_sigmoid_forward##VARIANT(const float *x, float *y, int n); \
  void et_f32_sigmoid_backward##VARIANT(const float *y, const float *dy, float *dx, int n); \
  /* y = tanh x ; dx = dy·(1−y²) */ \
  void et_f32_tanh_forward##VARIANT(const float *x, float *y, int n); \
  void et_f32_tanh_backward##VARIANT(const float *y, const float *dy, float *dx, int n); \
  /* row-wise softmax (max subtracted) ; dx = y ⊙ (dy − Σ dy⊙y) */ \
  void et_f32_softmax_forward##VARIANT(const float *x, float *y, int batch, int n); \
  void et_f32_softmax_backward##VARIANT(const float *y, const float *dy, float *dx, int batch, int n); \
  /* fused softmax + cross-entropy over logits z[batch,n], class indices t[batch] stored as floats: \
     dz = (softmax(z) − onehot(t))/batch, returns −(1/batch) Σ log softmax(z)[t] */ \
  float et_f32_softmax_cross_entropy##VARIANT(const float *z, const float *t, float *dz, int batch, int n); \
  /* optimizers over n contiguous parameters; gradients are read, never written. g' = g + wd·p */ \
  void et_f32_sgd_step##VARIANT(float *p, const float *g, int n, float lr, float wd); \
  /* v = μ·v + g' ; p −= lr·(nesterov ? g' + μ·v : v) */ \
  void et_f32_momentum_step##VARIANT(float *p, const float *g, float *v, int n, float lr, float momentum, float wd, int nesterov); \
  /* m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; p = p·shrink − (lr/bc1)·m/(√v/√bc2 + ε), \
     where decoupled (AdamW): g' = g, shrink = 1 − lr·wd; else g' = g + wd·p, shrink = 1 */ \
  void et_f32_adam_step##VARIANT(float *p, const float *g, float *m, float *v, int n, float lr, float beta1, float beta2, \
                                 float eps, float wd, int decoupled, float bc1, float bc2); \
  /* s = α·s + (1−α)·g'² ; p −= lr·g'/(√s + ε) */ \
  void et_f32_rmsprop_step##VARIANT(float *p, const float *g, float *s, int n, float lr, float alpha, float eps, float wd); \
  /* Σ x²: float squares in blocks of 64, blocks summed in double (≤ 1e-6 relative; a block that could overflow or \
     underflow is redone in double) */ \
  double et_f32_sum_of_squares##VARIANT(const float *x, int n); \
  /* x *= s ; x = clamp(x, −limit, limit) */ \
  void et_f32_scale##VARIANT(float *x, int n, float s); \
  void et_f32_clamp##VARIANT(float *x, int n, float limit);

ET_KERNELS(__ref)
ET_KERNELS(__neon)

/* The time layers (org.edgetrain.kernels.TimeKernels defines them). A window is [batch, time, channels], row-major.
 * Convolution: y[n, t, o] = b[o] + Σ_k Σ_c w[o, c, k]·x[n, t·stride + k·dilation − pad, c], taps outside [0, in_time)
 * are 0 (skipped), summed k-major then c; w is PyTorch's [out_ch, in_ch, kernel]. `pack` is scratch of
 * kernel·in_ch·⌈out_ch/4⌉·4 floats that the forward may overwrite (the weights transposed to [k, c, o]).
 * im2col: col[n·out_time + t, c·kernel + k] = x[n, t·stride + k·dilation − pad, c] (0 outside); col2im is its adjoint
 * (dx overwritten). Pooling per channel, no padding: max (first maximum wins ties, a NaN wins; arg = the time step, as
 * a float) and average (Σ_k in order, then ·1/k); backward overwrites dx. GRU gates, one step (PyTorch's r, z, n):
 * gx rows gx_stride apart (the input projections of this step), gh, gate rows 3·hidden apart, h rows hidden apart. */
#define ET_TIME_KERNELS(VARIANT) \
  void et_f32_conv1d_forward##VARIANT(const float *x, const float *w, const float *b, float *y, float *pack, int batch, int in_time, \
                                      int in_ch, int out_time, int out_ch, int kernel, int stride, int dilation, int pad); \
  void et_f32_im2col##VARIANT(const float *x, float *col, int batch, int in_time, int in_ch, int out_time, int kernel, int stride, \
                              int dilation, int pad); \
  void et_f32_col2im##VARIANT(const float *dcol, float *dx, int batch, int in_time, int in_ch, int out_time, int kernel, int stride, \
                              int dilation, int pad); \
  void et_f32_maxpool1d_forward##VARIANT(const float *x, float *y, float *arg, int batch, int in_time, int ch, int out_time, int kernel, \
                                         int stride); \
  /* dx = 0; dx[n, arg, c] += dy[n, t, c] */ \
  void et_f32_maxpool1d_backward##VARIANT(const float *dy, const float *arg, float *dx, int batch, int in_time, int ch, int out_time); \
  void et_f32_avgpool1d_forward##VARIANT(const float *x, float *y, int batch, int in_time, int ch, int out_time, int kernel, int stride); \
  /* dx = 0; dx[n, t·stride + k, c] += dy[n, t, c]·(1/kernel) */ \
  void et_f32_avgpool1d_backward##VARIANT(const float *dy, float *dx, int batch, int in_time, int ch, int out_time, int kernel, int stride); \
  /* r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r·gh_n) into gate; h_next = (1 − z)·n + z·h_prev */ \
  void et_f32_gru_gates_forward##VARIANT(const float *gx, int gx_stride, const float *gh, float *gate, const float *h_prev, \
                                         float *h_next, int batch, int hidden); \
  /* from dh = dL/dh_next: dn = dh(1−z)(1−n²), dz = dh(h_prev − n)z(1−z), dr = dn·gh_n·r(1−r) into dgx (rows dgx_stride \
     apart) and dgh (dgh_n = dn·r); dh = dh·z (the direct path to h_prev) */ \
  void et_f32_gru_gates_backward##VARIANT(const float *gate, const float *gh, const float *h_prev, float *dh, float *dgx, \
                                          int dgx_stride, float *dgh, int batch, int hidden);

ET_TIME_KERNELS(__ref)
ET_TIME_KERNELS(__neon)

/* Fixed point (org.edgetrain.fixed.JavaFixedKernels defines the bits; these match it exactly, on every platform).
 * int16 operands; products int16·int16 → int32, summed EXACTLY in 64 bits (so the order of summation cannot change a
 * bit), then narrowed once: a rounding right shift by `shift` (round half up; shift ≤ 0 is a left shift of the sum
 * clamped to ±2^(62+shift), at most 40) and saturation to int16. stats[0] = max(stats[0], largest |value| before
 * saturation); stats[1] += values saturated. The bias enters the sum as b rounding-shifted left by bias_shift. */
#define ET_FIXED_KERNELS(VARIANT) \
  /* Y = narrow(X·Wᵀ + (b << bias_shift)), b NULL: no bias */ \
  void et_q16_dense_forward##VARIANT(const int16_t *x, const int16_t *w, const int16_t *b, int bias_shift, int16_t *y, \
                                     int batch, int in, int out, int shift, int64_t *stats); \
  /* dX = narrow(dY·W) */ \
  void et_q16_dense_input_grad##VARIANT(const int16_t *dy, const int16_t *w, int16_t *dx, int batch, int in, int out, int shift, \
                                        int64_t *stats); \
  /* dW = narrow(dYᵀ·X) */ \
  void et_q16_dense_weight_grad##VARIANT(const int16_t *dy, const int16_t *x, int16_t *dw, int batch, int in, int out, int shift, \
                                         int64_t *stats); \
  /* SGD: p = sat(p − round(g·gm·2^-gs + p·pm·2^-ps)), stochastic (bits from key) or nearest rounding */ \
  void et_q16_sgd_step##VARIANT(int16_t *p, const int16_t *g, int n, int gm, int gs, int pm, int ps, uint32_t key, int stochastic, \
                                int64_t *stats); \
  /* db = narrow(Σ_batch dY) */ \
  void et_q16_bias_grad##VARIANT(const int16_t *dy, int16_t *db, int batch, int out, int shift, int64_t *stats); \
  /* y = x > 0 ? x : narrow(x·slope, 15), slope in Q15 */ \
  void et_q16_leaky_relu_forward##VARIANT(const int16_t *x, int16_t *y, int n, int slope_q15, int64_t *stats); \
  /* dx = x > 0 ? dy : narrow(dy·slope, 15) */ \
  void et_q16_leaky_relu_backward##VARIANT(const int16_t *x, const int16_t *dy, int16_t *dx, int n, int slope_q15, int64_t *stats); \
  /* y = narrow(x ⊙ m, shift) */ \
  void et_q16_multiply##VARIANT(const int16_t *x, const int16_t *m, int16_t *y, int n, int shift, int64_t *stats); \
  /* momentum: v = sat(round(v·vm·2^-vs + g·gm·2^-gs + p·pm·2^-ps)); p = sat(p − round(v·lm·2^-ls)) */ \
  void et_q16_momentum_step##VARIANT(int16_t *p, const int16_t *g, int16_t *v, int n, int vm, int vs, int gm, int gs, int pm, int ps, \
                                     int lm, int ls, uint32_t key_v, uint32_t key_p, int stochastic, int64_t *stats_v, int64_t *stats_p); \
  /* batch 1, weight gradient fused into momentum: g = narrow(dy ⊗ x) (x NULL: a bias, g = narrow(dy)) is written to dw \
   * only when the fused path cannot run; p and v end as et_q16_dense_weight_grad then et_q16_momentum_step leave them */ \
  void et_q16_dense_grad_momentum##VARIANT(const int16_t *dy, const int16_t *x, int16_t *dw, int16_t *p, int16_t *v, int in, int out, \
                                           int shift, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls, uint32_t key_v, \
                                           uint32_t key_p, int stochastic, int64_t *stats_g, int64_t *stats_v, int64_t *stats_p);

ET_FIXED_KERNELS(__ref)
ET_FIXED_KERNELS(__neon)

/* Worker threads for the three dense products (the calling thread counts as one). Outputs are split by rows, so every
 * value is computed by one thread in the same order as single-threaded: results are bit-identical for any count. */
int et_threads_init(int threads);   /* returns the count in effect; 1 means no workers */
void et_threads_shutdown(void);
void et_f32_dense_forward__mt(const float *x, const float *w, const float *b, float *y, int batch, int in, int out);
void et_f32_dense_input_grad__mt(const float *dy, const float *w, float *dx, int batch, int in, int out);
void et_f32_dense_weight_grad__mt(const float *dy, const float *x, float *dw, int batch, int in, int out, int accumulate);

/* GFLOP/s of 128-bit FMAs (vfmaq_f32) on enough independent accumulators to fill the pipes, one thread, for about
 * `millis` milliseconds: the machine's own peak for these lanes. */
double et_fma128_peak_gflops(int millis);

/* What the library was built for, e.g. "aarch64 neon", "armv7 neon-vfpv4", "x86-64 neon-via-simde avx2-fma". */
const char *et_build_description(void);

#ifdef __cplusplus
}
#endif
#endif
