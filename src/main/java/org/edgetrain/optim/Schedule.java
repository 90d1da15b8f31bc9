package org.edgetrain.optim;

import java.util.Locale;

/**
 * A learning-rate schedule over optimizer steps (not epochs: a daemon has none), with an optional linear warm-up in
 * front: {@code lr(t) = base·(t+1)/warmup} for {@code t < warmup}, then the schedule from {@code t − warmup}.
 * <ul>
 * <li>constant: {@code base}</li>
 * <li>step: {@code base · γ^⌊t/stepSize⌋}</li>
 * <li>exponential: {@code base · γ^t}</li>
 * <li>cosine: {@code min + (base − min)·(1 + cos(π·min(t, T)/T))/2}, T = total − warmup; without a horizon
 * (total 0) it stays at base: {@code Trainer.fit} sets the horizon from epochs, a caller of {@code step} must</li>
 * </ul>
 */
public record Schedule(Kind kind, int warmupSteps, int stepSize, float gamma, float minLr, long totalSteps) {

    /** The schedule shapes a config can name. */
    public enum Kind {
        CONSTANT, STEP, EXPONENTIAL, COSINE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String s) {
            for (Kind k : values()) if (k.configName().equals(s)) return k;
            return null;
        }
    }

    public static Schedule constant() {
        return new Schedule(Kind.CONSTANT, 0, 1, 1f, 0f, 0);
    }

    /** The same schedule with its horizon set (cosine needs it; the trainer knows it from epochs × steps per epoch). */
    public Schedule withTotalSteps(long total) {
        return new Schedule(kind, warmupSteps, stepSize, gamma, minLr, total);
    }

    /** Learning rate for the update numbered {@code step} (0-based). */
    public float lr(float base, long step) {
        if (step < warmupSteps) return base * (step + 1) / warmupSteps;
        long t = step - warmupSteps;
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> (float) (base * Math.pow(gamma, t / Math.max(1, stepSize)));
            case EXPONENTIAL -> (float) (base * Math.pow(gamma, t));
            case COSINE -> {
                if (totalSteps <= 0) yield base;
                long horizon = Math.max(1, totalSteps - warmupSteps);
                double progress = Math.min(t, horizon) / (double) horizon;
                yield (float) (minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress)));
            }
        };
    }

    @Override
    public String toString() {
        String w = warmupSteps > 0 ? " warmup_steps=" + warmupSteps : "";
        return switch (kind) {
            case CONSTANT -> "constant" + w;
            case STEP -> "step step_size=" + stepSize + " gamma=" + gamma + w;
            case EXPONENTIAL -> "exponential gamma=" + gamma + w;
            case COSINE -> "cosine min_lr=" + minLr + w;
        };
    }
}
