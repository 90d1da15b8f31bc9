package org.edgetrain.train;

import java.util.Locale;

/**
 * What one epoch did: training loss and accuracy (NaN for regression), validation metrics if any, speed, and the
 * health statistics' summary ({@code upd}, {@code dead}, {@code sat}, {@code grad_ratio}; empty without them).
 */
public record EpochReport(int epoch, int epochs, double trainLoss, double trainAccuracy, Evaluation validation, float lr,
                          double gradNorm, double samplesPerSecond, long steps, String health) {

    /** The progress line {@code edgetrain train} prints. */
    public String line() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs, trainLoss));
        if (!Double.isNaN(trainAccuracy)) sb.append(String.format(Locale.ROOT, "  acc %.4f", trainAccuracy));
        if (validation != null) {
            sb.append(String.format(Locale.ROOT, "  val_loss %.4f", validation.loss()));
            if (validation.isClassification()) sb.append(String.format(Locale.ROOT, "  val_acc %.4f", validation.accuracy()));
            else sb.append(String.format(Locale.ROOT, "  val_r2 %.4f", validation.r2()));
        }
        sb.append(String.format(Locale.ROOT, "  lr %.3g", lr));
        // measured every NORM_EVERY steps without norm clipping: an epoch shorter than that may have no measurement
        if (!Double.isNaN(gradNorm)) sb.append(String.format(Locale.ROOT, "  grad_norm %.3g", gradNorm));
        if (health != null && !health.isEmpty()) sb.append("  ").append(health);
        sb.append(String.format(Locale.ROOT, "  %,.0f samples/s", samplesPerSecond));
        return sb.toString();
    }
}
