package org.edgetrain.kernels;

/**
 * The numerical kernels the engine spends its time in, one signature per family. All operands live in one arena
 * array {@code a} and are addressed by offsets in floats; matrices are row-major.
 *
 * <p>{@link JavaKernels} is the reference and defines the truth; another implementation (JNI with NEON) must match it
 * within a tolerance that scales with the reduction length. Layers call only this interface, so a new
 * implementation never touches a layer.
 */
public interface Kernels {

    /** A short name for logs and benchmarks, e.g. {@code java} or {@code native-neon}. */
    String name();

    // ---- dense layer: X[batch, in], W[out, in] (PyTorch layout), b[out], Y[batch, out] ----

    /** {@code Y = X·Wᵀ + b}; {@code b < 0} means no bias. Overwrites Y. */
    void denseForward(float[] a, int x, int w, int b, int y, int batch, int in, int out);

    /** {@code dX = dY·W}. Overwrites dX. */
    void denseInputGrad(float[] a, int dy, int w, int dx, int batch, int in, int out);

    /**
     * {@code dW += dYᵀ·X} when {@code accumulate}, else {@code dW = dYᵀ·X} (bit for bit what zeroing dW first and
     * accumulating would give, without reading dW: a training step writes each gradient once).
     */
    void denseWeightGrad(float[] a, int dy, int x, int dw, int batch, int in, int out, boolean accumulate);

    /** {@code db += Σ_batch dY} when {@code accumulate}, else {@code db = Σ_batch dY} (as if zeroed first). */
    void biasGrad(float[] a, int dy, int db, int batch, int out, boolean accumulate);

    // ---- elementwise activations over n values ----

    /** {@code y = x > 0 ? x : slope·x}; ReLU is slope 0. */
    void leakyReluForward(float[] a, int x, int y, int n, float slope);

    /** {@code dx = x > 0 ? dy : slope·dy}. Overwrites dx. */
    void leakyReluBackward(float[] a, int x, int dy, int dx, int n, float slope);

    /** {@code y = 1 / (1 + e^-x)}. */
    void sigmoidForward(float[] a, int x, int y, int n);

    /** {@code dx = dy · y · (1 - y)}, from the cached output. */
    void sigmoidBackward(float[] a, int y, int dy, int dx, int n);

    /** {@code y = tanh x}. */
    void tanhForward(float[] a, int x, int y, int n);

    /** {@code dx = dy · (1 - y²)}, from the cached output. */
    void tanhBackward(float[] a, int y, int dy, int dx, int n);

    /** Row-wise {@code y = softmax(x)} over rows of width {@code n}, stable (max subtracted). */
    void softmaxForward(float[] a, int x, int y, int batch, int n);

    /** Row-wise {@code dx = y ⊙ (dy − Σ dy⊙y)}. */
    void softmaxBackward(float[] a, int y, int dy, int dx, int batch, int n);

    /**
     * Fused softmax + cross-entropy over logits {@code z[batch, n]} and class indices {@code t[batch]} (stored as
     * floats). Writes {@code dz = (softmax(z) − onehot(t)) / batch} and returns the mean loss
     * {@code −(1/batch) Σ log softmax(z)[t]}, computed stably as {@code log Σ e^(z−max) − (z_t − max)}.
     */
    float softmaxCrossEntropy(float[] a, int z, int t, int dz, int batch, int n);

    // ---- optimizer updates over one contiguous block of n parameters and their gradients ----

    /** {@code p −= lr·(g + wd·p)}. Gradients are read, never written, by every optimizer kernel. */
    void sgdStep(float[] a, int p, int g, int n, float lr, float weightDecay);

    /**
     * PyTorch's SGD with momentum (dampening 0): with {@code g' = g + wd·p}: {@code v = μ·v + g'; p −= lr·(nesterov ? g' + μ·v : v)}.
     */
    void momentumStep(float[] a, int p, int g, int v, int n, float lr, float momentum, float weightDecay, boolean nesterov);

    /**
     * Adam (or AdamW when {@code decoupled}): {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
     * p −= lr/bc1 · m / (√v/√bc2 + ε)}, with bias corrections {@code bc = 1 − β^t}. Coupled weight decay adds
     * {@code wd·p} to the gradient it uses; decoupled multiplies p by {@code 1 − lr·wd}.
     */
    void adamStep(float[] a, int p, int g, int m, int v, int n, float lr, float beta1, float beta2, float eps,
                  float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2);

    /** PyTorch's RMSprop: with {@code g' = g + wd·p}: {@code s = α·s + (1−α)·g'²; p −= lr·g' / (√s + ε)}. */
    void rmspropStep(float[] a, int p, int g, int s, int n, float lr, float alpha, float eps, float weightDecay);

    // ---- reductions and clipping ----

    /** {@code Σ x²} over n values, accumulated in double (no overflow for any finite float). */
    double sumOfSquares(float[] a, int x, int n);

    /** {@code x *= s}. */
    void scale(float[] a, int x, int n, float s);

    /** {@code x = min(max(x, −limit), limit)}. */
    void clamp(float[] a, int x, int n, float limit);

    // ---- time layers: windows [batch, time, channels], row-major, oldest step first (TimeKernels is the reference) ----

    /**
     * Conv1d, PyTorch's {@code nn.Conv1d} on the transposed window: {@code y[n, t, o] = b[o] + Σ_k Σ_c w[o, c, k]·
     * x[n, t·stride + k·dilation − padLeft, c]}, taps outside the window are 0; {@code b < 0}: no bias. {@code pack}
     * is scratch of {@link #conv1dPackFloats} floats the kernel may overwrite. Overwrites y.
     */
    void conv1dForward(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime, int outCh,
                       int kernel, int stride, int dilation, int padLeft);

    /** The scratch {@link #conv1dForward} needs: the weights repacked as {@code [kernel, inCh, ⌈outCh/4⌉·4]}. */
    static int conv1dPackFloats(int inCh, int outCh, int kernel) {
        return TimeKernels.conv1dPackFloats(inCh, outCh, kernel);
    }

    /** {@code col[n·T'+t, c·K+k] = x[n, t·stride + k·dilation − padLeft, c]}, 0 outside the window (for dL/dW). */
    void im2col(float[] a, int x, int col, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                int padLeft);

    /** The adjoint of {@link #im2col}: {@code dx = 0; dx[n, t·stride + k·dilation − padLeft, c] += dcol[n·T'+t, c·K+k]}. */
    void col2im(float[] a, int dcol, int dx, int batch, int inTime, int inCh, int outTime, int kernel, int stride, int dilation,
                int padLeft);

    /** Max pooling per channel, no padding; first maximum wins ties, NaN wins; {@code arg} = the winning step (a float). */
    void maxPool1dForward(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel, int stride);

    /** {@code dx = 0; dx[n, arg, c] += dy[n, t, c]}. */
    void maxPool1dBackward(float[] a, int dy, int arg, int dx, int batch, int inTime, int ch, int outTime);

    /** Average pooling per channel, no padding: {@code y = (Σ_k x[t·stride + k]) · (1/kernel)}. */
    void avgPool1dForward(float[] a, int x, int y, int batch, int inTime, int ch, int outTime, int kernel, int stride);

    /** {@code dx = 0; dx[n, t·stride + k, c] += dy[n, t, c] · (1/kernel)}. */
    void avgPool1dBackward(float[] a, int dy, int dx, int batch, int inTime, int ch, int outTime, int kernel, int stride);

    /**
     * One GRU step's gates (r, z, n): {@code r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r·gh_n)} into gate,
     * {@code h_next = (1 − z)·n + z·h_prev}. Rows: gx {@code gxStride} apart, gh and gate {@code 3·hidden}, h {@code hidden}.
     */
    void gruGatesForward(float[] a, int gx, int gxStride, int gh, int gate, int hPrev, int hNext, int batch, int hidden);

    /**
     * Back through one step's gates from {@code dh = dL/dh_next}: pre-activation gradients into dgx (rows
     * {@code dgxStride} apart) and dgh ({@code dgh_n = dn·r}); leaves {@code dh = dh·z}.
     */
    void gruGatesBackward(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch, int hidden);
}
