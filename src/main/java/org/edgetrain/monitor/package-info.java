/**
 * The in-loop monitor: per-layer statistics sampled every few steps without allocating, detectors for the ways backprop
 * fails (vanishing and exploding gradients, dead and saturated units, overfitting, a learning rate too high or too
 * low), and the guard that rolls back a step gone non-finite. Observers attached to a training step: this package
 * sits below {@code train} and never imports it.
 */
package org.edgetrain.monitor;
