package org.edgetrain.train;

import org.edgetrain.loss.LossKind;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.optim.Schedule;

/**
 * How to train: loss, optimizer, schedule, clipping, batch size, epochs, seed and whether to shuffle. The defaults are
 * the safe ones this project promises: momentum SGD at 0.01, gradient norm clipped at 5.
 */
public record TrainingSpec(LossKind loss, float huberDelta, OptimizerSpec optimizer, Schedule schedule, Clipping clipping,
                           int batch, int epochs, long seed, boolean shuffle) {

    public static final float DEFAULT_CLIP_NORM = 5f;

    public TrainingSpec {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }

    /** Defaults for a loss: momentum 0.9 at lr 0.01, constant schedule, norm clip 5, batch 32, 20 epochs, seed 1. */
    public static TrainingSpec defaults(LossKind loss) {
        return new TrainingSpec(loss, 1f, OptimizerSpec.momentum(0.01f, 0.9f), Schedule.constant(),
                new Clipping(DEFAULT_CLIP_NORM, 0f), 32, 20, 1L, true);
    }

    public TrainingSpec withOptimizer(OptimizerSpec o) {
        return new TrainingSpec(loss, huberDelta, o, schedule, clipping, batch, epochs, seed, shuffle);
    }

    public TrainingSpec withSchedule(Schedule s) {
        return new TrainingSpec(loss, huberDelta, optimizer, s, clipping, batch, epochs, seed, shuffle);
    }

    public TrainingSpec withClipping(Clipping c) {
        return new TrainingSpec(loss, huberDelta, optimizer, schedule, c, batch, epochs, seed, shuffle);
    }

    public TrainingSpec withBatch(int b) {
        return new TrainingSpec(loss, huberDelta, optimizer, schedule, clipping, b, epochs, seed, shuffle);
    }

    public TrainingSpec withEpochs(int e) {
        return new TrainingSpec(loss, huberDelta, optimizer, schedule, clipping, batch, e, seed, shuffle);
    }

    public TrainingSpec withSeed(long s) {
        return new TrainingSpec(loss, huberDelta, optimizer, schedule, clipping, batch, epochs, s, shuffle);
    }

    public TrainingSpec withShuffle(boolean s) {
        return new TrainingSpec(loss, huberDelta, optimizer, schedule, clipping, batch, epochs, seed, s);
    }
}
