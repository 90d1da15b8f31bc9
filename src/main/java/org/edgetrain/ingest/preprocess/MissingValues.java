package org.edgetrain.ingest.preprocess;

import java.util.Locale;

/**
 * Replaces missing values, in place: NaN (a sensor that gave nothing, an empty CSV cell) and ±infinity (an overflowed
 * conversion) are both treated as missing, so everything after this step sees finite numbers only.
 *
 * <ul>
 *   <li>{@link Policy#DROP}: the whole sample is dropped;
 *   <li>{@link Policy#HOLD}: the channel's last finite value (0 before any);
 *   <li>{@link Policy#MEAN}: the channel's running mean of the finite values seen so far (0 before any).
 * </ul>
 */
public final class MissingValues {
    /** What to do with a missing value. */
    public enum Policy {
        DROP, HOLD, MEAN;

        /** Parses {@code drop}, {@code hold} or {@code mean}; null for anything else. */
        public static Policy parse(String s) {
            for (Policy p : values()) if (p.name().toLowerCase(Locale.ROOT).equals(s)) return p;
            return null;
        }
    }

    private final Policy policy;
    private final float[] last;
    private final double[] mean;
    private final long[] seen;
    private long missing;
    private long dropped;

    public MissingValues(Policy policy, int channels) {
        this.policy = policy;
        this.last = new float[channels];
        this.mean = new double[channels];
        this.seen = new long[channels];
    }

    public Policy policy() {
        return policy;
    }

    /**
     * Fixes one sample in place.
     *
     * @return false when the sample is to be dropped ({@link Policy#DROP} and a value was missing)
     */
    public boolean apply(float[] s, int offset) {
        int channels = last.length;
        int bad = 0;
        for (int c = 0; c < channels; c++) {
            if (!Float.isFinite(s[offset + c])) bad++;
        }
        if (bad > 0) {
            missing += bad;
            if (policy == Policy.DROP) {
                dropped++;
                return false;
            }
        }
        for (int c = 0; c < channels; c++) {
            float x = s[offset + c];
            if (Float.isFinite(x)) {
                last[c] = x;
                seen[c]++;
                mean[c] += (x - mean[c]) / seen[c];
            } else {
                s[offset + c] = policy == Policy.HOLD ? last[c] : (float) mean[c];
            }
        }
        return true;
    }

    public void save(String prefix, org.edgetrain.io.Checkpoint c) {
        c.floats(prefix + ".last", last).doubles(prefix + ".mean", mean).longs(prefix + ".seen", seen)
                .longs(prefix + ".counts", new long[] {missing, dropped});
    }

    public void load(String prefix, org.edgetrain.io.Checkpoint c) {
        System.arraycopy(c.floats(prefix + ".last"), 0, last, 0, last.length);
        System.arraycopy(c.doubles(prefix + ".mean"), 0, mean, 0, mean.length);
        System.arraycopy(c.longs(prefix + ".seen"), 0, seen, 0, seen.length);
        long[] k = c.longs(prefix + ".counts");
        if (k[0] < 0 || k[1] < 0) throw new org.edgetrain.BadInputException(prefix + ".counts is " + k[0] + ", " + k[1] + "; allowed: >= 0");
        missing = k[0];
        dropped = k[1];
    }

    /** Values found missing so far. */
    public long missing() {
        return missing;
    }

    /** Samples dropped so far. */
    public long dropped() {
        return dropped;
    }
}
