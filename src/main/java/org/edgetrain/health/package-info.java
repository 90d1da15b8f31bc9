/**
 * Training health: per-layer statistics sampled every few steps without allocating, detectors for the ways backprop
 * fails (vanishing and exploding gradients, dead and saturated units, overfitting, a learning rate too high or too
 * low, bad data, a loss that does not fit the task), the guard that rolls back a step gone non-finite, and the
 * {@code doctor} checklist.
 */
package org.edgetrain.health;
