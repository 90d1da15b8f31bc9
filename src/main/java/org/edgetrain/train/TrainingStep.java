package org.edgetrain.train;

import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.monitor.Finding;
import org.edgetrain.monitor.Guard;
import org.edgetrain.monitor.HealthMonitor;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Schedule;
import org.edgetrain.util.Rng;

/**
 * What both precisions keep about a step the same way: the specs and the arena, the last step's loss, norm, rate and
 * correct count, the schedule and shuffle stream, the health monitor and the guard (and the guard's rollback). The
 * subclasses ({@link Trainer}, {@link FixedTrainer}) set these fields in their constructors and own the arithmetic.
 */
abstract class TrainingStep implements Step {
    NetworkSpec netSpec;
    TrainingSpec spec;
    MemoryPlan plan;
    Arena arena;
    Rng shuffleRng;
    Schedule schedule;
    HealthMonitor monitor;
    Guard guard; // null when the guard is off
    int targetWidth;
    float lastLoss = Float.NaN;
    double lastGradNorm = Double.NaN;
    boolean normMeasured;
    float lastLr;
    int lastCorrect;
    boolean rolledBack;

    /** Undoes the step the guard rejected: restores its snapshot, reports, and the step counts for nothing. */
    float rollback(long step) {
        Finding f = guard.rollback(step, schedule.lr(spec.optimizer().lr(), step) * guard.lrScale());
        rolledBack = true;
        normMeasured = false;
        afterRollback();
        monitor.notify(f);
        return lastLoss;
    }

    /** What a precision must also undo after a rollback (int16: the rejected step's scale statistics). */
    void afterRollback() {
    }

    @Override
    public NetworkSpec networkSpec() {
        return netSpec;
    }

    @Override
    public TrainingSpec spec() {
        return spec;
    }

    @Override
    public MemoryPlan memoryPlan() {
        return plan;
    }

    public Arena arena() {
        return arena;
    }

    @Override
    public int targetWidth() {
        return targetWidth;
    }

    @Override
    public float lastLoss() {
        return lastLoss;
    }

    @Override
    public double lastGradNorm() {
        return lastGradNorm;
    }

    @Override
    public boolean lastStepMeasuredNorm() {
        return normMeasured;
    }

    @Override
    public float lastLearningRate() {
        return lastLr;
    }

    @Override
    public int lastCorrect() {
        return lastCorrect;
    }

    @Override
    public boolean lastStepRolledBack() {
        return rolledBack;
    }

    @Override
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public void setSchedule(Schedule s) {
        this.schedule = s;
    }

    @Override
    public Rng shuffleRng() {
        return shuffleRng;
    }

    @Override
    public HealthMonitor health() {
        return monitor;
    }

    @Override
    public Guard guard() {
        return guard;
    }

    @Override
    public String epochNote() {
        String note = monitor.summary();
        if (guard != null && guard.rollbacks() > 0) note = (note + "  rollbacks " + guard.rollbacks()).strip();
        return note;
    }
}
