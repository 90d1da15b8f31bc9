package org.edgetrain.ingest.preprocess;

/**
 * Standardizes each channel to zero mean and unit variance, {@code (x - mean) / std}, with a running mean and
 * variance (Welford, {@link RunningMoments}) that is either kept running (follows slow drift) or frozen after a
 * warm-up (a model trained on the frozen scale keeps meaning the same thing; the trained network and the statistics
 * then travel together). A channel whose std is below {@link #MIN_STD} (a constant signal) is divided by 1 instead.
 * A result that is not finite (only possible from non-finite input) becomes 0, so the network always sees finite
 * numbers.
 */
public final class RunningStandardizer {
    /** Smallest std divided by; below it a channel is treated as constant. */
    public static final double MIN_STD = 1e-6;

    private final RunningMoments moments;
    private final boolean freeze;
    private final long warmup;

    /**
     * A standardizer over {@code channels} channels.
     *
     * @param freeze freeze the statistics after {@code warmup} samples; otherwise they keep running
     * @param warmup samples before the statistics are trusted ({@link #ready()})
     */
    public RunningStandardizer(int channels, boolean freeze, long warmup) {
        if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, found " + warmup);
        this.moments = new RunningMoments(channels);
        this.freeze = freeze;
        this.warmup = warmup;
    }

    /** Updates the statistics (unless frozen) and standardizes one sample in place. */
    public void apply(float[] s, int offset) {
        if (!frozen()) moments.add(s, offset);
        for (int c = 0; c < moments.channels(); c++) {
            double std = moments.std(c);
            double z = (s[offset + c] - moments.mean(c)) / (std < MIN_STD ? 1.0 : std);
            float f = (float) z;
            s[offset + c] = Float.isFinite(f) ? f : 0f;
        }
    }

    /** True once {@code warmup} samples were seen. */
    public boolean ready() {
        return moments.count() >= warmup;
    }

    /** True when the statistics no longer change. */
    public boolean frozen() {
        return freeze && moments.count() >= warmup;
    }

    public double mean(int channel) {
        return moments.mean(channel);
    }

    public double std(int channel) {
        return moments.std(channel);
    }

    public void save(String prefix, org.edgetrain.io.Checkpoint c) {
        moments.save(prefix, c);
    }

    public void load(String prefix, org.edgetrain.io.Checkpoint c) {
        moments.load(prefix, c);
    }

    public long count() {
        return moments.count();
    }
}
