package org.edgetrain.monitor;

/**
 * A trainable tensor as the health monitor reads it, in real units whatever the precision: fp32 values in the float
 * block of the arena, or int16 values in the int16 block dequantized on their own scale. Sums allocate nothing.
 */
interface HealthTensor {
    String name();

    /** The owning layer's name (for findings). */
    String layer();

    int size();

    /** A weight matrix (2-D), as opposed to a bias or a norm's scale. */
    boolean matrix();

    /** Σ gradient² in real units. */
    double gradientSquares(float[] f, short[] s);

    /** Σ weight² in real units. */
    double weightSquares(float[] f, short[] s);

    /** One weight in real units. */
    float weight(float[] f, short[] s, int i);
}
