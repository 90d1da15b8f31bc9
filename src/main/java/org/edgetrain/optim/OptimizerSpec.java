package org.edgetrain.optim;

import java.util.Locale;

/**
 * An optimizer and its hyper-parameters, with PyTorch's names and defaults. Weight decay is L2 added to the gradient
 * (PyTorch's SGD, Adam and RMSprop), except for AdamW, where it shrinks the weights directly.
 */
public record OptimizerSpec(Kind kind, float lr, float momentum, boolean nesterov, float beta1, float beta2, float eps,
                            float alpha, float weightDecay) {

    /** The update rules a config can name. */
    public enum Kind {
        SGD, MOMENTUM, NESTEROV, ADAM, ADAMW, RMSPROP;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String s) {
            for (Kind k : values()) if (k.configName().equals(s)) return k;
            return null;
        }

        public static String allowed() {
            return "sgd, momentum, nesterov, adam, adamw, rmsprop";
        }

        /** Copies of the parameter block the optimizer keeps. */
        public int stateCopies() {
            return switch (this) {
                case SGD -> 0;
                case MOMENTUM, NESTEROV, RMSPROP -> 1;
                case ADAM, ADAMW -> 2;
            };
        }

        /** The learning rate to use when the config gives none: low enough to be safe on unknown data. */
        public float defaultLr() {
            return switch (this) {
                case SGD, MOMENTUM, NESTEROV -> 0.01f;
                case ADAM, ADAMW, RMSPROP -> 0.001f;
            };
        }
    }

    public OptimizerSpec {
        if (!(lr > 0f) || !Float.isFinite(lr)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (kind == Kind.NESTEROV) nesterov = true;
    }

    public static OptimizerSpec sgd(float lr) {
        return new OptimizerSpec(Kind.SGD, lr, 0f, false, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    public static OptimizerSpec momentum(float lr, float momentum) {
        return new OptimizerSpec(Kind.MOMENTUM, lr, momentum, false, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    public static OptimizerSpec adam(float lr) {
        return new OptimizerSpec(Kind.ADAM, lr, 0f, false, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    public static OptimizerSpec rmsprop(float lr) {
        return new OptimizerSpec(Kind.RMSPROP, lr, 0f, false, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    public OptimizerSpec withWeightDecay(float wd) {
        return new OptimizerSpec(kind, lr, momentum, nesterov, beta1, beta2, eps, alpha, wd);
    }

    public OptimizerSpec withLr(float newLr) {
        return new OptimizerSpec(kind, newLr, momentum, nesterov, beta1, beta2, eps, alpha, weightDecay);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.configName()).append(" lr=").append(lr);
        switch (kind) {
            case MOMENTUM, NESTEROV -> sb.append(" momentum=").append(momentum).append(nesterov ? " nesterov" : "");
            case ADAM, ADAMW -> sb.append(" betas=(").append(beta1).append(", ").append(beta2).append(") eps=").append(eps);
            case RMSPROP -> sb.append(" alpha=").append(alpha).append(" eps=").append(eps);
            default -> { }
        }
        if (weightDecay != 0f) sb.append(" weight_decay=").append(weightDecay);
        return sb.toString();
    }
}
