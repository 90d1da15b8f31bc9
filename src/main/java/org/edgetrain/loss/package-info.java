/**
 * Losses reduced by the mean, with PyTorch's semantics: MSE, Huber, softmax + cross-entropy and sigmoid + BCE fused over logits.
 */
package org.edgetrain.loss;
