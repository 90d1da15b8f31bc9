package org.edgetrain.monitor;

import java.util.Locale;

/**
 * Clipping that fires on every sampled step while the loss is far from unit scale: the signature of regression targets
 * in the hundreds trained without standardization. Every update is cut to {@code clip.norm}, so training crawls and
 * ends behind a plain MLP. Fed by {@link HealthMonitor} on each sampled step; kept apart so it can be tested on
 * crafted numbers.
 */
public final class ClippingDetector {
    /** A mean loss above this is far from the unit scale standardized data gives (an MSE of 100 is an RMS error of 10). */
    public static final double LOSS_SCALE = 100;
    /** Sampled steps in a row that must all be clipped. */
    public static final int SAMPLES = 8;

    private int run;
    private double lossSum;
    private boolean reported;

    /**
     * One sampled step.
     *
     * @param norm    the global gradient norm before clipping (NaN if not measured)
     * @param maxNorm {@code clip.norm} (0: clipping by norm is off, and nothing is reported)
     * @param loss    the step's loss
     * @return a finding the first time the condition holds, else null
     */
    public Finding observe(long step, double norm, float maxNorm, double loss) {
        if (reported || maxNorm <= 0f || Double.isNaN(norm)) return null;
        if (!(norm > maxNorm) || !Double.isFinite(loss)) {
            run = 0;
            lossSum = 0;
            return null;
        }
        run++;
        lossSum += loss;
        double meanLoss = lossSum / run;
        if (run < SAMPLES || meanLoss <= LOSS_SCALE) return null;
        reported = true;
        return new Finding(Finding.Kind.CLIPPING, Finding.Severity.PROBLEM, "clip.norm",
                String.format(Locale.ROOT, "the gradient norm exceeded clip.norm %.3g on each of the last %d sampled steps (%.3g at step %d) "
                        + "while the mean loss is %.4g, far from unit scale: every update is cut short", maxNorm, run, norm, step, meanLoss),
                "standardize regression targets (data.standardize_targets = true, the default) and features (data.standardize = true); "
                        + "or scale the targets yourself");
    }
}
