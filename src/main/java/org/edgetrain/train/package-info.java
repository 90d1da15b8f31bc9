/**
 * Training: {@link org.edgetrain.train.Trainer} runs allocation-free steps and epochs; {@link org.edgetrain.train.Evaluator} computes metrics and predictions.
 */
package org.edgetrain.train;
