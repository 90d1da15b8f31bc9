package org.edgetrain.monitor;

import java.util.Locale;

/**
 * One thing the health checks found: what, where (a layer, a column, the loss), the numbers that show it, and what to
 * change. A {@link Severity#PROBLEM} makes {@code doctor} exit 1; a {@link Severity#NOTE} is advice.
 */
public record Finding(Kind kind, Severity severity, String subject, String evidence, String fix) {

    /** The failure modes the checks know. */
    public enum Kind {
        VANISHING_GRADIENTS("vanishing gradients"),
        EXPLODING_GRADIENTS("exploding gradients"),
        NON_FINITE("non-finite values"),
        DEAD_UNITS("dead units"),
        SATURATION("saturated units"),
        OVERFITTING("overfitting"),
        LR_TOO_HIGH("learning rate too high"),
        LR_TOO_LOW("learning rate too low"),
        DATA("data"),
        LOSS_MISMATCH("loss does not fit the task"),
        GRADIENT_CHECK("gradient check"),
        INIT_SCALE("initialization scale"),
        LR_SUGGESTION("learning rate"),
        CLIPPING("clipping on every step");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** How much it matters. */
    public enum Severity { PROBLEM, NOTE }

    /** One line: {@code PROBLEM dead units (layer 1): 88% of 128 units ...; fix: ...}. */
    public String line() {
        return String.format(Locale.ROOT, "%s %s%s: %s%s", severity == Severity.PROBLEM ? "PROBLEM" : "note", kind.label(),
                subject == null || subject.isEmpty() ? "" : " (" + subject + ")", evidence, fix == null ? "" : "; fix: " + fix);
    }

    @Override
    public String toString() {
        return line();
    }
}
