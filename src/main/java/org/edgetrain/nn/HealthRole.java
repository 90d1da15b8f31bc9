package org.edgetrain.nn;

/** What the in-loop monitor watches a layer kind for. */
public enum HealthRole {
    /** nothing kind-specific */
    NONE,
    /** ReLU-like with a zero negative slope: units can die (never positive again) */
    RELU_FAMILY,
    /** sigmoid, tanh: outputs can saturate where the derivative vanishes */
    SATURATING,
    /** batch norm: rescales activations, so gradient magnitudes before and after it are not comparable */
    NORMALIZING
}
