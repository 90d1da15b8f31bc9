package org.edgetrain.ingest.preprocess;

/**
 * Per-channel running mean and variance by Welford's algorithm, in double: numerically stable over months of samples
 * where the naive sum of squares would cancel catastrophically.
 *
 * <pre>
 * n += 1;  d = x - mean;  mean += d / n;  m2 += d * (x - mean);  variance = m2 / n
 * </pre>
 */
public final class RunningMoments {
    private final double[] mean;
    private final double[] m2;
    private long count;

    public RunningMoments(int channels) {
        this.mean = new double[channels];
        this.m2 = new double[channels];
    }

    public int channels() {
        return mean.length;
    }

    /** Adds one sample of finite values. */
    public void add(float[] s, int offset) {
        count++;
        for (int c = 0; c < mean.length; c++) {
            double x = s[offset + c];
            double d = x - mean[c];
            mean[c] += d / count;
            m2[c] += d * (x - mean[c]);
        }
    }

    /** Writes the moments under {@code prefix} (a checkpoint resumes them exactly). */
    public void save(String prefix, org.edgetrain.io.Checkpoint c) {
        c.doubles(prefix + ".mean", mean).doubles(prefix + ".m2", m2).longs(prefix + ".count", new long[] {count});
    }

    public void load(String prefix, org.edgetrain.io.Checkpoint c) {
        System.arraycopy(c.doubles(prefix + ".mean"), 0, mean, 0, mean.length);
        System.arraycopy(c.doubles(prefix + ".m2"), 0, m2, 0, m2.length);
        long n = c.longs(prefix + ".count")[0];
        if (n < 0) throw new org.edgetrain.BadInputException(prefix + ".count is " + n + "; allowed: >= 0");
        for (double v : m2) if (!(v >= 0) || Double.isInfinite(v)) throw new org.edgetrain.BadInputException(prefix + ".m2 holds " + v + "; allowed: finite, >= 0");
        for (double v : mean) if (!Double.isFinite(v)) throw new org.edgetrain.BadInputException(prefix + ".mean holds " + v + "; allowed: finite");
        count = n;
    }

    public long count() {
        return count;
    }

    public double mean(int channel) {
        return mean[channel];
    }

    /** Population variance (divides by n), 0 before two samples. */
    public double variance(int channel) {
        return count < 2 ? 0 : m2[channel] / count;
    }

    public double std(int channel) {
        return Math.sqrt(variance(channel));
    }
}
