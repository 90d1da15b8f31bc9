package org.edgetrain.optim;

import org.edgetrain.kernels.Kernels;

/**
 * Gradient clipping over the whole gradient block: by value (each component into [−value, value]) and then by global
 * norm (scale all gradients by {@code maxNorm/‖g‖} when {@code ‖g‖ > maxNorm}, as torch.nn.utils.clip_grad_norm_).
 * Zero turns either off.
 */
public record Clipping(float maxNorm, float maxValue) {
    public static final Clipping NONE = new Clipping(0f, 0f);

    public Clipping {
        if (maxNorm < 0f || maxValue < 0f || Float.isNaN(maxNorm) || Float.isNaN(maxValue)) {
            throw new IllegalArgumentException("clip limits must be >= 0");
        }
    }

    /** Clips in place; returns the global gradient norm before clipping (a health statistic). */
    public double apply(Kernels k, float[] a, int g, int n) {
        return apply(k, a, g, n, true);
    }

    /**
     * Clips in place. The norm is computed when clipping by norm needs it or {@code measure} asks for it (it is a pass
     * over every gradient: at batch 1 a fifth of a step), and returned; otherwise NaN.
     */
    public double apply(Kernels k, float[] a, int g, int n, boolean measure) {
        if (maxValue > 0f) k.clamp(a, g, n, maxValue);
        if (maxNorm == 0f && !measure) return Double.NaN;
        double norm = Math.sqrt(k.sumOfSquares(a, g, n));
        if (maxNorm > 0f && norm > maxNorm) k.scale(a, g, n, (float) (maxNorm / (norm + 1e-6)));
        return norm;
    }

    @Override
    public String toString() {
        if (maxNorm == 0f && maxValue == 0f) return "off";
        return (maxNorm > 0f ? "norm " + maxNorm : "") + (maxNorm > 0f && maxValue > 0f ? ", " : "")
                + (maxValue > 0f ? "value " + maxValue : "");
    }
}
