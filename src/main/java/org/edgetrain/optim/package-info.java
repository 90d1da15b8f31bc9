/**
 * Optimizers (SGD, momentum, Nesterov, Adam, AdamW, RMSprop) as torch.optim defines them, learning-rate schedules and gradient clipping.
 */
package org.edgetrain.optim;
