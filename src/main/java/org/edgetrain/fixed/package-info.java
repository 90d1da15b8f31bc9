/**
 * Fixed-point training ({@code engine.precision = fixed}): int16 weights, activations and gradients, each tensor with
 * its own power-of-two scale ({@link org.edgetrain.fixed.QFormat}) that adapts during training; exact integer
 * accumulation, rounded and saturating narrowing (saturations counted); stochastic or round-to-nearest weight updates
 * ({@link org.edgetrain.fixed.Rounding}). {@link org.edgetrain.fixed.FixedKernels} holds the integer kernels, with
 * {@link org.edgetrain.fixed.JavaFixedKernels} as the reference every native kernel matches bit for bit;
 * {@link org.edgetrain.train.FixedTrainer} trains a whole network. The softmax and the loss stay fp32 on the
 * dequantized logits.
 */
package org.edgetrain.fixed;
