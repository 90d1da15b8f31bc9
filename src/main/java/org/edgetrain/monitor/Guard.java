package org.edgetrain.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.Parameter;
import org.edgetrain.optim.Optimizer;

/**
 * Keeps training from breaking: every {@link HealthSpec#snapshotEvery()} good steps it copies the state that a step
 * changes (parameters, running statistics, optimizer state, counters) into the arena's health region; when a step's
 * loss or gradient is non-finite, or the loss explodes, the trainer skips the update and the guard restores that
 * snapshot and lowers the learning rate. After {@link HealthSpec#maxRollbacks()} rollbacks with no new snapshot in
 * between it gives up with a {@link TrainingDivergedException} instead of looping.
 *
 * <p>The check runs before the optimizer step, so a non-finite value never reaches the weights; restoring (rather than
 * only skipping) also undoes what the bad forward did to batch-norm running statistics.
 */
public final class Guard {
    /** Steps the loss average needs before an explosion can be judged. */
    static final int WARMUP_STEPS = 10;
    /**
     * The loss an explosion must exceed, times the factor, however small the average: at batch 1 a single hard sample
     * can cost 100× a well-trained average (cross-entropy 5 against 0.05) without anything being wrong.
     */
    static final double LOSS_FLOOR = 1.0;

    /**
     * The state a step changes, as its precision stores it: the fp32 arena (built in here) or the int16 one (its
     * trainer supplies it). The guard decides when; this copies.
     */
    public interface Snapshot {
        /** Copies the current state aside. */
        void take();

        /** Copies the state taken last back. */
        void restore();

        /** The optimizer's step count now (saved with the snapshot, restored with it). */
        long steps();
    }

    private final HealthSpec spec;
    private final Network net;
    private final Optimizer optimizer;
    private final Snapshot external; // null for the fp32 arena
    private final Parameter[] counters;
    private final long[] savedCounters;
    private float[] a;
    private int snapshot = -1, stateBase, stateFloats, optBase, optFloats;
    private long savedSteps;
    private boolean haveSnapshot;

    private double lossAverage = Double.NaN;
    private long goodSteps;
    private float lrScale = 1f;
    private int rollbacksSinceSnapshot;
    private long rollbacks;
    private String lastCause = "";

    public Guard(HealthSpec spec, Network net, Optimizer optimizer) {
        this.spec = spec;
        this.net = net;
        this.optimizer = optimizer;
        this.external = null;
        List<Parameter> c = new ArrayList<>();
        for (Parameter p : net.state()) if (p.isCounter()) c.add(p);
        this.counters = c.toArray(new Parameter[0]);
        this.savedCounters = new long[counters.length];
    }

    /** A guard over state that {@code snapshot} copies (the int16 trainer's); takes the first snapshot. */
    public Guard(HealthSpec spec, Snapshot snapshot) {
        this.spec = spec;
        this.net = null;
        this.optimizer = null;
        this.external = snapshot;
        this.counters = new Parameter[0];
        this.savedCounters = new long[0];
        takeSnapshot();
    }

    /**
     * The floats a snapshot needs for a network and optimizer: every parameter and buffer tensor (aligned as the plan
     * aligns them) and each optimizer-state copy of the trainable block.
     */
    public static int persistentFloats(Network net, int optimizerStateCopies) {
        int n = 0;
        for (Parameter p : net.state()) {
            if (!p.isCounter()) n += (p.size() + MemoryPlan.ALIGN_FLOATS - 1) / MemoryPlan.ALIGN_FLOATS * MemoryPlan.ALIGN_FLOATS;
        }
        return n + optimizerStateCopies * net.trainableFloats();
    }

    /** Attaches the arena; {@code snapshotOffset} is the monitor's planned slot. Takes the first snapshot. */
    public void bind(float[] arena, MemoryPlan plan, int snapshotOffset) {
        this.a = arena;
        this.snapshot = snapshotOffset;
        MemoryPlan.PersistentState st = plan.persistentState();
        stateBase = st.stateBase();
        stateFloats = st.stateFloats();
        optBase = st.optimizerBase();
        optFloats = st.optimizerFloats();
        if (st.floats() > plan.regionFloats(Region.HEALTH)) {
            throw new IllegalStateException("guard snapshot slot is smaller than the state it must hold");
        }
        takeSnapshot();
    }

    /** Copies the current state into the snapshot. */
    public void takeSnapshot() {
        if (external != null) {
            external.take();
            savedSteps = external.steps();
            haveSnapshot = true;
            rollbacksSinceSnapshot = 0;
            return;
        }
        System.arraycopy(a, stateBase, a, snapshot, stateFloats);
        System.arraycopy(a, optBase, a, snapshot + stateFloats, optFloats);
        for (int i = 0; i < counters.length; i++) savedCounters[i] = counters[i].counterValue();
        savedSteps = optimizer.steps();
        haveSnapshot = true;
        rollbacksSinceSnapshot = 0;
    }

    /**
     * Starts over from weights set from outside (a fleet's global model): the snapshot becomes these weights, and the
     * loss average starts again, since a loss judged against the old weights' average would look like an explosion.
     */
    public void restart() {
        lossAverage = Double.NaN;
        goodSteps = 0;
        takeSnapshot();
    }

    private void restore() {
        if (external != null) {
            external.restore();
            return;
        }
        System.arraycopy(a, snapshot, a, stateBase, stateFloats);
        System.arraycopy(a, snapshot + stateFloats, a, optBase, optFloats);
        for (int i = 0; i < counters.length; i++) counters[i].setCounter(savedCounters[i]);
        optimizer.setSteps(savedSteps);
    }

    /** Whether this loss must not be trained on: non-finite, or far above its running average. */
    public boolean lossBad(float loss) {
        if (!Float.isFinite(loss)) {
            lastCause = "non-finite loss (" + loss + ")";
            return true;
        }
        if (goodSteps >= WARMUP_STEPS && loss > spec.explodeFactor() * Math.max(lossAverage, LOSS_FLOOR)) {
            lastCause = String.format(Locale.ROOT, "loss explosion (%.4g, %.0f× its running average %.4g)", loss,
                    loss / lossAverage, lossAverage);
            return true;
        }
        return false;
    }

    /** Whether this global gradient norm must not reach the weights. */
    public boolean gradientBad(double norm) {
        if (!Double.isFinite(norm)) {
            lastCause = "non-finite gradient (norm " + norm + ")";
            return true;
        }
        return false;
    }

    /** After a step whose update was applied: the loss average and, every so often, a new snapshot. */
    public void afterGoodStep(float loss) {
        lossAverage = Double.isNaN(lossAverage) ? loss : 0.98 * lossAverage + 0.02 * loss;
        goodSteps++;
        if ((external != null ? external.steps() : optimizer.steps()) - savedSteps >= spec.snapshotEvery()) takeSnapshot();
    }

    /**
     * Restores the last good state and lowers the learning rate; the cause is what {@link #lossBad} or
     * {@link #gradientBad} found.
     *
     * @return the finding to report
     * @throws TrainingDivergedException after too many rollbacks without a new snapshot
     */
    public Finding rollback(long step, float baseLr) {
        rollbacks++;
        rollbacksSinceSnapshot++;
        restore(); // also before giving up: what the caller saves next is the last good state
        if (rollbacksSinceSnapshot > spec.maxRollbacks()) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                    "training diverged: %d rollbacks in a row without a good stretch of %d steps, last at step %d: %s; "
                            + "the learning rate was lowered to %.3g; fix: lower optimizer.lr, keep clip.norm on, check the data "
                            + "(edgetrain doctor)", rollbacksSinceSnapshot - 1, spec.snapshotEvery(), step, lastCause,
                    baseLr * lrScale));
        }
        lrScale *= spec.lrFactor();
        String msg = String.format(Locale.ROOT, "step %d: %s; restored the state of step %d and lowered the learning rate to %.3g "
                + "(rollback %d of at most %d in a row)", step, lastCause, savedSteps, baseLr * lrScale, rollbacksSinceSnapshot,
                spec.maxRollbacks());
        return new Finding(Finding.Kind.EXPLODING_GRADIENTS, Finding.Severity.PROBLEM, "guard", msg,
                "keep clip.norm on, lower optimizer.lr, check the data for NaN (edgetrain doctor)");
    }

    /** What the guard multiplies the scheduled learning rate by (1 until a rollback). */
    public float lrScale() {
        return lrScale;
    }

    /** Restores the rate scale from a checkpoint. */
    public void setLrScale(float scale) {
        this.lrScale = scale;
    }

    public long rollbacks() {
        return rollbacks;
    }

    public boolean hasSnapshot() {
        return haveSnapshot;
    }
}
