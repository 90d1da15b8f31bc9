/*
 * Internal to libedgetrain: the ISA switch, the register tiles of the dense products, and the row-range entry points
 * the thread pool calls. Nothing here is exported (the library is built with -fvisibility=hidden).
 *
 * ISA paths:
 *   ET_A64  = 1  AArch64 NEON, or x86-64 through SIMDe (SIMDe provides the A64 intrinsics; ET_SIMDE = 1)
 *   ET_A64  = 0  ARMv7 NEON with VFPv4 (armhf): 16 q registers, no vdivq/vsqrtq/vpaddq/f64 vectors
 */
#ifndef EDGETRAIN_KERNELS_INTERNAL_H
#define EDGETRAIN_KERNELS_INTERNAL_H

#if defined(__ARM_NEON) || defined(__ARM_NEON__)
#include <arm_neon.h>
#define ET_SIMDE 0
#if defined(__aarch64__)
#define ET_A64 1
#else
#define ET_A64 0
#if !defined(__ARM_FEATURE_FMA)
#error "32-bit ARM needs VFPv4 fused multiply-add: build with -mfpu=neon-vfpv4"
#endif
#endif
#else
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/arm/neon.h>
#define ET_SIMDE 1
#define ET_A64 1
#endif

/*
 * Register tiles (outputs per micro-kernel call), chosen by register count:
 *   forward  Y = X·Wᵀ: FWD_MR rows of X × FWD_NR rows of W, one float32x4 accumulator per output (dot products)
 *   dX = dY·W:        DX_MR rows of dX × DX_NV vectors of 4 columns (axpy form)
 *   dW += dYᵀ·X:      DW_MR rows of dW × DW_NV vectors of 4 columns (axpy form)
 * AArch64 has 32 q registers: 16 accumulators + 8 operands. ARMv7 and x86-64 (SSE/AVX: 16 xmm) have 16.
 * A single row (batch 1) has its own 1 × 8 kernels for the forward product and dX: 8 accumulator chains instead of
 * 4, to cover the FMA latency. Each output value is computed by the same instruction sequence whatever tile it lands
 * in, so the thread split (which moves tile boundaries) never changes a bit. -D overrides are for benchmarking.
 */
#if ET_SIMDE /* measured on x86-64-v3 (Zen 4) against 2x4, 4x2, 3x4, 4x4: forward 3x4, dX and dW 3x3 */
#define ET_FWD_MR_DEFAULT 3
#define ET_FWD_NR_DEFAULT 4
#define ET_DX_MR_DEFAULT 3
#define ET_DX_NV_DEFAULT 3
#define ET_DW_MR_DEFAULT 3
#define ET_DW_NV_DEFAULT 3
#elif ET_A64
#define ET_FWD_MR_DEFAULT 4
#define ET_FWD_NR_DEFAULT 4
#define ET_DX_MR_DEFAULT 4
#define ET_DX_NV_DEFAULT 4
#define ET_DW_MR_DEFAULT 4
#define ET_DW_NV_DEFAULT 4
#else
#define ET_FWD_MR_DEFAULT 2
#define ET_FWD_NR_DEFAULT 4
#define ET_DX_MR_DEFAULT 2
#define ET_DX_NV_DEFAULT 4
#define ET_DW_MR_DEFAULT 2
#define ET_DW_NV_DEFAULT 4
#endif
#ifndef ET_FWD_MR
#define ET_FWD_MR ET_FWD_MR_DEFAULT
#endif
#ifndef ET_FWD_NR
#define ET_FWD_NR ET_FWD_NR_DEFAULT
#endif
#ifndef ET_DX_MR
#define ET_DX_MR ET_DX_MR_DEFAULT
#endif
#ifndef ET_DX_NV
#define ET_DX_NV ET_DX_NV_DEFAULT
#endif
#ifndef ET_DW_MR
#define ET_DW_MR ET_DW_MR_DEFAULT
#endif
#ifndef ET_DW_NV
#define ET_DW_NV ET_DW_NV_DEFAULT
#endif

/* Row ranges of the dense products (kernels_neon.c); the __neon entry points are the full ranges. */
void et_dense_forward_rows__neon(const float *x, const float *w, const float *b, float *y, int batch, int in, int out,
                                 int b0, int b1, int o0, int o1);
void et_dense_input_grad_rows__neon(const float *dy, const float *w, float *dx, int in, int out, int b0, int b1, int i0, int i1);
void et_dense_weight_grad_rows__neon(const float *dy, const float *x, float *dw, int batch, int in, int out, int o0, int o1,
                                     int accumulate);

#endif
