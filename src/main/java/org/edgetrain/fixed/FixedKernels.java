package org.edgetrain.fixed;

/**
 * The integer kernels of fixed-point training, one signature per family. Operands are int16 values in one arena array
 * {@code a}, addressed by offsets; matrices are row-major, W is {@code [out, in]} like PyTorch's nn.Linear.
 *
 * <p>Products are accumulated exactly (an int16·int16 product is an int32; the sum of up to 2^33 of them fits 64
 * bits), so the result does not depend on the order of summation, then narrowed once: a rounding right shift by
 * {@code shift} (round half up, as NEON's {@code vrshr}/{@code vqrshrn}; a negative shift is a saturating left shift)
 * and saturation to [−32768, 32767]. Every kernel that writes a tensor records, in that tensor's
 * {@code stats} ({@link QFormat#stats()}), the largest magnitude before saturation ({@code stats[0] = max(...)}) and
 * the saturations ({@code stats[1] += ...}).
 *
 * <p>{@link JavaFixedKernels} is the reference and defines the truth; any other implementation must produce the same
 * bits for every input, which integer arithmetic makes possible on every platform.
 */
public interface FixedKernels {

    /** A short name for logs and benchmarks: {@code java} or {@code native-neon}. */
    String name();

    /** {@code Y = narrow(X·Wᵀ + (b ≪ biasShift), shift)}; {@code b < 0}: no bias. */
    void denseForward(short[] a, int x, int w, int b, int biasShift, int y, int batch, int in, int out, int shift, long[] stats);

    /** {@code dX = narrow(dY·W, shift)}. */
    void denseInputGrad(short[] a, int dy, int w, int dx, int batch, int in, int out, int shift, long[] stats);

    /** {@code dW = narrow(dYᵀ·X, shift)} (overwrites: a step writes each gradient once). */
    void denseWeightGrad(short[] a, int dy, int x, int dw, int batch, int in, int out, int shift, long[] stats);

    /** {@code db = narrow(Σ_batch dY, shift)}. */
    void biasGrad(short[] a, int dy, int db, int batch, int out, int shift, long[] stats);

    /** {@code y = x > 0 ? x : narrow(x·slope, 15)} with the slope in Q15 (ReLU: 0). */
    void leakyReluForward(short[] a, int x, int y, int n, int slopeQ15, long[] stats);

    /** {@code dx = x > 0 ? dy : narrow(dy·slope, 15)}. */
    void leakyReluBackward(short[] a, int x, int dy, int dx, int n, int slopeQ15, long[] stats);

    /** {@code y = narrow(x ⊙ m, shift)} elementwise (dropout's mask and its 1/(1−rate) in one factor). */
    void multiply(short[] a, int x, int m, int y, int n, int shift, long[] stats);

    /**
     * Plain SGD: {@code p = sat(p − round(g·gm·2^-gs + p·pm·2^-ps))}, where {@code gm, gs} encode
     * {@code lr · 2^(frac_p − frac_g)} and {@code pm, ps} encode {@code lr · weight_decay} ({@link Coefficient}).
     *
     * <p>Rounding, in int32 only (so it vectorizes 8 lanes wide on AVX2, 4 on NEON, with no 64-bit lanes): each term
     * {@code t·2^-s} ({@code t}, an int16 times a 15-bit mantissa, is exact in an int) is split into its floored whole
     * part, clamped to ±2^24 (past int16: only values that saturate anyway are clipped), and the next 16 bits of its
     * fraction; the result is {@code Σ whole + ((Σ fraction + r) >> 16)}, {@code r} being 16 random bits from
     * {@link #randomBits}{@code (key, i)} (stochastic) or one half (nearest). Stochastic rounding thus resolves an
     * update to 2^-16 of the weight's last bit, and the fractions dropped below that bias it by less than 2^-14 of a bit.
     */
    void sgdStep(short[] a, int p, int g, int n, int gm, int gs, int pm, int ps, int key, boolean stochastic, long[] stats);

    /**
     * SGD with momentum (PyTorch's, dampening 0), in the velocity's format:
     * {@code v = sat(round(v·vm·2^-vs + g·gm·2^-gs + p·pm·2^-ps))} (μ, the gradient and the weight decay), then
     * {@code p = sat(p − round(v·lm·2^-ls))} (the learning rate), each rounded as in {@link #sgdStep}. One hash per
     * weight, {@link #randomBits}{@code (keyV ^ keyP, i)}, serves both: its low half-word rounds the velocity, its high
     * half-word the weight.
     */
    void momentumStep(short[] a, int p, int g, int v, int n, int vm, int vs, int gm, int gs, int pm, int ps, int lm, int ls,
                      int keyV, int keyP, boolean stochastic, long[] statsV, long[] statsP);

    /** Entries of a momentum update's coefficients in the {@code int[]} of {@link #denseGradMomentum}. */
    int VM = 0, VS = 1, GM = 2, GS = 3, PM = 4, PS = 5, LM = 6, LS = 7, KEY_V = 8, KEY_P = 9, UPDATE_INTS = 10;

    /**
     * Batch 1: the weight gradient and the momentum update in one call, with exactly the bits of
     * {@code denseWeightGrad(a, dy, x, dw, 1, in, out, shift, statsG)} (for {@code x < 0}, a bias:
     * {@code biasGrad(a, dy, dw, 1, out, shift, statsG)}) followed by {@link #momentumStep} on that gradient with the
     * coefficients {@code u} ({@link #VM} … {@link #KEY_P}). At batch 1 the gradient is one product per weight, cheaper
     * to compute where the update needs it than to store and read back: a native kernel writes {@code dw} only when it
     * takes the long way, so after this call {@code dw} holds no gradient the caller may read.
     */
    default void denseGradMomentum(short[] a, int dy, int x, int dw, int p, int v, int in, int out, int shift, int[] u, boolean stochastic,
                                   long[] statsG, long[] statsV, long[] statsP) {
        if (x >= 0) denseWeightGrad(a, dy, x, dw, 1, in, out, shift, statsG);
        else biasGrad(a, dy, dw, 1, out, shift, statsG);
        momentumStep(a, p, dw, v, x >= 0 ? in * out : out, u[VM], u[VS], u[GM], u[GS], u[PM], u[PS], u[LM], u[LS], u[KEY_V], u[KEY_P],
                stochastic, statsV, statsP);
    }

    /**
     * The 32 random bits stochastic rounding draws for element {@code i} under a per-step key: murmur3's fmix32 of
     * {@code key ^ i·0x9E3779B9}. A counter-based hash rather than a sequential generator, so native code draws the
     * same bits in any order and vectorizes; the keys come from a seeded {@link org.edgetrain.util.Rng}.
     */
    static int randomBits(int key, int i) {
        int h = key ^ (i * 0x9E3779B9);
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * The narrowing every product kernel ends with, before saturation: a rounding right shift (round half up) for
     * {@code shift > 0} (at most 62), else a left shift by at most 40 of {@code acc} clamped to ±2^(62−shift).
     */
    static long roundShift(long acc, int shift) {
        if (shift > 0) {
            int s = Math.min(shift, 62);
            return (acc + (1L << (s - 1))) >> s;
        }
        int s = Math.min(-shift, 40);
        long lim = 1L << (62 - s);
        if (acc > lim) acc = lim;
        else if (acc < -lim) acc = -lim;
        return acc << s;
    }
}
