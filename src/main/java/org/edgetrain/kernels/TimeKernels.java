package org.edgetrain.kernels;

import java.util.Arrays;

/**
 * The Java reference of the time-layer kernels (conv1d, pooling, GRU gates), which {@link JavaKernels} exposes and
 * native/src/kernels_ref.c mirrors loop for loop. A window is {@code [batch, time, channels]}, row-major, oldest step
 * first; all operands are offsets into the arena {@code a}.
 */
final class TimeKernels {
    private TimeKernels() {
    }

    /** Floats of the conv1d forward's packing scratch: the weights as {@code [kernel, inCh, ⌈outCh/4⌉·4]}. */
    static int conv1dPackFloats(int inCh, int outCh, int kernel) {
        return kernel * inCh * ((outCh + 3) & ~3);
    }

    /**
     * {@code y[n, t, o] = b[o] + Σ_k Σ_c w[o, c, k]·x[n, t·stride + k·dilation − padLeft, c]}, taps outside the window
     * skipped, in that order (bias, then k-major, then c). The weights are first packed to {@code [k, c, o]} so that
     * the inner loop runs over output channels (axpy, which the JIT vectorizes).
     */
    static void conv1dForward(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime, int outCh,
                              int kernel, int stride, int dilation, int padLeft) {
        int co4 = (outCh + 3) & ~3;
        for (int k = 0; k < kernel; k++) {
            for (int c = 0; c < inCh; c++) {
                int pr = pack + (k * inCh + c) * co4;
                for (int o = 0; o < outCh; o++) a[pr + o] = a[w + (o * inCh + c) * kernel + k];
            }
        }
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < outTime; t++) {
                int yr = y + (n * outTime + t) * outCh;
                if (b >= 0) System.arraycopy(a, b, a, yr, outCh);
                else Arrays.fill(a, yr, yr + outCh, 0f);
                for (int k = 0; k < kernel; k++) {
                    int ti = t * stride + k * dilation - padLeft;
                    if (ti < 0 || ti >= inTime) continue;
                    int xr = x + (n * inTime + ti) * inCh;
                    for (int c = 0; c < inCh; c++) {
                        float v = a[xr + c];
                        int pr = pack + (k * inCh + c) * co4;
                        for (int o = 0; o < outCh; o++) a[yr + o] += a[pr + o] * v;
                    }
                }
            }
        }
    }

    /** {@code col[n·T'+t, c·K+k] = x[n, t·stride + k·dilation − padLeft, c]}, 0 outside the window. */
    static void im2col(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                       int padLeft) {
        int cw = inCh * kernel;
        for (int n = 0; n < batch; n++) {
            int xs = x + n * inTime * inCh;
            for (int t = 0; t < outTime; t++) {
                int row = col + (n * outTime + t) * cw;
                int t0 = t * stride - padLeft;
                for (int k = 0; k < kernel; k++) {
                    int ti = t0 + k * dilation;
                    if (ti < 0 || ti >= inTime) {
                        for (int c = 0; c < inCh; c++) a[row + c * kernel + k] = 0f;
                    } else {
                        int src = xs + ti * inCh;
                        for (int c = 0; c < inCh; c++) a[row + c * kernel + k] = a[src + c];
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: {@code dx = 0; dx[n, t·stride + k·dilation − padLeft, c] += dcol[n·T'+t, c·K+k]}. */
    static void col2im(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                       int padLeft) {
        Arrays.fill(a, dx, dx + batch * inTime * inCh, 0f);
        int cw = inCh * kernel;
        for (int n = 0; n < batch; n++) {
            int xs = dx + n * inTime * inCh;
            for (int t = 0; t < outTime; t++) {
                int row = dcol + (n * outTime + t) * cw;
                int t0 = t * stride - padLeft;
                for (int k = 0; k < kernel; k++) {
                    int ti = t0 + k * dilation;
                    if (ti < 0 || ti >= inTime) continue;
                    int dst = xs + ti * inCh;
                    for (int c = 0; c < inCh; c++) a[dst + c] += a[row + c * kernel + k];
                }
            }
        }
    }

    /**
     * Max over {@code kernel} steps per channel, no padding; the first maximum wins ties and a NaN wins everything (as
     * in PyTorch). {@code arg} gets the winning step index as a float (exact below 2²⁴).
     */
    static void maxPool1dForward(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        for (int n = 0; n < batch; n++) {
            int xs = x + n * inTime * ch, ys = y + n * outTime * ch, as = arg + n * outTime * ch;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    int best = t0;
                    float m = a[xs + t0 * ch + c];
                    for (int k = 1; k < kernel && !Float.isNaN(m); k++) {
                        float v = a[xs + (t0 + k) * ch + c];
                        if (v > m || Float.isNaN(v)) {
                            m = v;
                            best = t0 + k;
                        }
                    }
                    a[ys + t * ch + c] = m;
                    a[as + t * ch + c] = best;
                }
            }
        }
    }

    /** {@code dx = 0; dx[n, arg, c] += dy[n, t, c]} (windows may overlap); an arg outside {@code [0, inTime)} is skipped. */
    static void maxPool1dBackward(float[] a, int dy, int arg, int dx, int batch, int inTime, int ch, int outTime) {
        Arrays.fill(a, dx, dx + batch * inTime * ch, 0f);
        int out = outTime * ch;
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * out, as = arg + n * out, xs = dx + n * inTime * ch;
            for (int i = 0; i < out; i++) {
                float f = a[as + i];
                if (f >= 0 && f < inTime) a[xs + (int) f * ch + i % ch] += a[ds + i]; // an arg that is not a step is skipped
            }
        }
    }

    /** {@code y[n, t, c] = (Σ_k x[n, t·stride + k, c]) · (1/kernel)}, the sum in k order. */
    static void avgPool1dForward(float[] a, int x, int y, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        float inv = 1f / kernel;
        for (int n = 0; n < batch; n++) {
            int xs = x + n * inTime * ch, ys = y + n * outTime * ch;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    float s = 0f;
                    for (int k = 0; k < kernel; k++) s += a[xs + (t0 + k) * ch + c];
                    a[ys + t * ch + c] = s * inv;
                }
            }
        }
    }

    /** {@code dx = 0; dx[n, t·stride + k, c] += dy[n, t, c] · (1/kernel)}. */
    static void avgPool1dBackward(float[] a, int dy, int dx, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
        Arrays.fill(a, dx, dx + batch * inTime * ch, 0f);
        float inv = 1f / kernel;
        for (int n = 0; n < batch; n++) {
            int ds = dy + n * outTime * ch, xs = dx + n * inTime * ch;
            for (int t = 0; t < outTime; t++) {
                int t0 = t * stride;
                for (int c = 0; c < ch; c++) {
                    float g = a[ds + t * ch + c] * inv;
                    for (int k = 0; k < kernel; k++) a[xs + (t0 + k) * ch + c] += g;
                }
            }
        }
    }

    /**
     * One GRU step's gates (PyTorch's order r, z, n): {@code r = σ(gx_r + gh_r)}, {@code z = σ(gx_z + gh_z)},
     * {@code n = tanh(gx_n + r·gh_n)} into {@code gate}, and {@code h_next = (1 − z)·n + z·h_prev}. Rows: gx
     * {@code gxStride} apart, gh and gate {@code 3·hidden}, h {@code hidden}.
     */
    static void gruGatesForward(float[] a, int gx, int gxStride, int gh, int gate, int hPrev, int hNext, int batch, int hidden) {
        int g3 = 3 * hidden;
        for (int n = 0; n < batch; n++) {
            int gxr = gx + n * gxStride, ghr = gh + n * g3, gr = gate + n * g3, hp = hPrev + n * hidden, hn = hNext + n * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = sigmoid(a[gxr + j] + a[ghr + j]);
                float z = sigmoid(a[gxr + hidden + j] + a[ghr + hidden + j]);
                float nn = tanh(a[gxr + 2 * hidden + j] + r * a[ghr + 2 * hidden + j]);
                a[gr + j] = r;
                a[gr + hidden + j] = z;
                a[gr + 2 * hidden + j] = nn;
                a[hn + j] = (1f - z) * nn + z * a[hp + j];
            }
        }
    }

    /**
     * Back through one step's gates from {@code dh = dL/dh_next}: writes the pre-activation gradients into dgx (rows
     * {@code dgxStride} apart) and dgh (the hidden n-projection's gated by r), and leaves {@code dh = dh·z}, the
     * direct path to h_prev.
     */
    static void gruGatesBackward(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch, int hidden) {
        int g3 = 3 * hidden;
        for (int n = 0; n < batch; n++) {
            int gr = gate + n * g3, ghr = gh + n * g3, hp = hPrev + n * hidden, d = dh + n * hidden, dgxr = dgx + n * dgxStride,
                    dghr = dgh + n * g3;
            for (int j = 0; j < hidden; j++) {
                float r = a[gr + j], z = a[gr + hidden + j], nn = a[gr + 2 * hidden + j];
                float g = a[d + j], hPrevJ = a[hp + j];
                float dnPre = g * (1f - z) * (1f - nn * nn); // h' = (1−z)n + zh → dn; n = tanh(·) → (1 − n²)
                float dzPre = g * (hPrevJ - nn) * z * (1f - z); // dz = dh'·(h − n); σ' = z(1 − z)
                float drPre = dnPre * a[ghr + 2 * hidden + j] * r * (1f - r); // dr = dn_pre·(W_hn h + b_hn)
                a[dgxr + j] = drPre;
                a[dgxr + hidden + j] = dzPre;
                a[dgxr + 2 * hidden + j] = dnPre;
                a[dghr + j] = drPre;
                a[dghr + hidden + j] = dzPre;
                a[dghr + 2 * hidden + j] = dnPre * r;
                a[d + j] = g * z;
            }
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** tanh v = 1 − 2/(e^{2v} + 1) in double: Math.exp is a JIT intrinsic, Math.tanh is not (JDK 17); ±1 at the ends. */
    private static float tanh(float v) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * v) + 1.0));
    }
}
