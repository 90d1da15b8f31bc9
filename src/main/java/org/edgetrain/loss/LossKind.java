package org.edgetrain.loss;

import java.util.Locale;

/** The losses a config can name; classification losses read labels, the others read targets. */
public enum LossKind {
    /** Mean squared error, for regression. */
    MSE,
    /** Softmax + cross-entropy over logits, fused; labels are class indices 0..n−1. */
    CROSS_ENTROPY,
    /** Sigmoid + binary cross-entropy over logits, fused; targets 0 or 1 per output. */
    BCE,
    /** Huber (smooth L1 with threshold δ), for regression with outliers. */
    HUBER;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the targets are class labels (accuracy and confusion matrix apply). */
    public boolean isClassification() {
        return this == CROSS_ENTROPY || this == BCE;
    }

    public static LossKind parse(String s) {
        for (LossKind k : values()) if (k.configName().equals(s)) return k;
        return null;
    }

    public static String allowed() {
        return "mse, cross_entropy, bce, huber";
    }
}
