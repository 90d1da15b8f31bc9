package org.edgetrain.memory;

/** The kinds of memory a training run needs; the arena lays them out in this order. */
public enum Region {
    PARAMETERS("parameters"),
    FROZEN_PARAMETERS("parameters (frozen)"),
    BUFFERS("running statistics"),
    GRADIENTS("gradients"),
    OPTIMIZER_STATE("optimizer state"),
    INPUTS("batch inputs and targets"),
    ACTIVATIONS("cached activations"),
    ACTIVATION_GRADIENTS("activation gradients"),
    SCRATCH("scratch"),
    HEALTH("health and guard");

    private final String label;

    Region(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
