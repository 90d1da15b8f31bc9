package org.edgetrain.diagnose;

import java.util.Locale;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Schedule;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/**
 * The learning-rate range test (Smith 2017): a fresh copy of the network trains for {@link #STEPS} steps while the rate
 * grows exponentially from {@link #LR_MIN} to {@link #LR_MAX}; the smoothed loss falls, bottoms out and blows up. The
 * suggested rate is a tenth of the rate at the smoothed minimum, and rates past the point where the loss climbs to
 * {@link #BLOW_UP} times its minimum diverge.
 */
public final class LrRangeTest {
    public static final int STEPS = 150;
    public static final float LR_MIN = 1e-6f;
    public static final float LR_MAX = 10f;
    public static final double BLOW_UP = 4;

    /**
     * The outcome: rate at the smoothed minimum, where it blew up (NaN if it never did), the suggestion, and the curve
     * (rate and smoothed loss of each step taken) for {@code doctor --plot}.
     */
    public record Result(double lrAtMinimum, double minimumLoss, double lrDiverges, double suggested, double[] curveLr, double[] curveLoss) {
        public String line() {
            return String.format(Locale.ROOT, "loss lowest (%.4g) near lr %.3g, %s; suggested lr %.3g", minimumLoss, lrAtMinimum,
                    Double.isNaN(lrDiverges) ? "no divergence up to " + LR_MAX : "diverges from lr " + String.format(Locale.ROOT, "%.3g", lrDiverges),
                    suggested);
        }
    }

    private LrRangeTest() {
    }

    public static Result run(NetworkSpec net, TrainingSpec spec, Dataset data, Kernels kernels) {
        double gamma = Math.pow(LR_MAX / LR_MIN, 1.0 / (STEPS - 1));
        TrainingSpec probe = spec.withOptimizer(spec.optimizer().withLr(LR_MIN))
                .withSchedule(new Schedule(Schedule.Kind.EXPONENTIAL, 0, 0, (float) gamma, 0f, 0));
        Trainer t = new Trainer(net, probe, kernels);
        int batch = Math.min(probe.batch(), data.rows());
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        t.shuffleRng().shuffle(order, order.length);
        double avg = 0, best = Double.POSITIVE_INFINITY, lrBest = Double.NaN, diverges = Double.NaN;
        int from = 0, taken = 0;
        double[] curveLr = new double[STEPS], curveLoss = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            if (from + batch > data.rows()) {
                t.shuffleRng().shuffle(order, order.length);
                from = 0;
            }
            double lr = LR_MIN * Math.pow(gamma, s);
            float l = t.step(data.x(), data.y(), order, from, batch);
            from += batch;
            if (!Float.isFinite(l)) {
                diverges = lr;
                break;
            }
            avg = 0.9 * avg + 0.1 * l;
            double smooth = avg / (1 - Math.pow(0.9, s + 1));
            curveLr[taken] = lr;
            curveLoss[taken++] = smooth;
            if (smooth < best) {
                best = smooth;
                lrBest = lr;
            } else if (s > 10 && smooth > BLOW_UP * best) {
                diverges = lr;
                break;
            }
        }
        return new Result(lrBest, best, diverges, lrBest / 10, java.util.Arrays.copyOf(curveLr, taken), java.util.Arrays.copyOf(curveLoss, taken));
    }
}
