package org.edgetrain.monitor;

/**
 * What the trainer watches and how it reacts.
 *
 * @param every             steps between statistics samples (0: no statistics)
 * @param guard             roll back and lower the rate when a step goes non-finite or the loss explodes
 * @param lrFactor          the guard multiplies the learning rate by this after each rollback, in (0, 1)
 * @param maxRollbacks      rollbacks without a good snapshot in between before training stops with an error
 * @param explodeFactor     a loss above this multiple of its running average counts as an explosion
 * @param snapshotEvery     steps between the guard's snapshots of the last good state
 */
public record HealthSpec(int every, boolean guard, float lrFactor, int maxRollbacks, float explodeFactor, int snapshotEvery) {

    /** No statistics, no guard: a trainer that only trains (benchmarks, the smallest arena). */
    public static final HealthSpec OFF = new HealthSpec(0, false, 0.5f, 5, 100f, 100);

    public HealthSpec {
        if (every < 0) throw new IllegalArgumentException("health every must be >= 0, got " + every);
        if (!(lrFactor > 0f && lrFactor < 1f)) throw new IllegalArgumentException("guard lr factor must be in (0, 1), got " + lrFactor);
        if (maxRollbacks < 1) throw new IllegalArgumentException("guard max rollbacks must be >= 1, got " + maxRollbacks);
        if (!(explodeFactor > 1f)) throw new IllegalArgumentException("guard explode factor must be > 1, got " + explodeFactor);
        if (snapshotEvery < 1) throw new IllegalArgumentException("guard snapshot interval must be >= 1, got " + snapshotEvery);
    }

    /** Statistics every 16 steps, guard off (the daemon turns it on). */
    public static HealthSpec defaults() {
        return new HealthSpec(16, false, 0.5f, 5, 100f, 100);
    }

    public HealthSpec withGuard(boolean on) {
        return new HealthSpec(every, on, lrFactor, maxRollbacks, explodeFactor, snapshotEvery);
    }

    public HealthSpec withEvery(int n) {
        return new HealthSpec(n, guard, lrFactor, maxRollbacks, explodeFactor, snapshotEvery);
    }

    public boolean statistics() {
        return every > 0;
    }
}
