package org.edgetrain.ingest.preprocess;

/**
 * Clips each value to {@code mean ± k·std} of its channel, in place, with running statistics of the (clipped) values
 * seen so far: a glitch of a bus or a sensor (a spike of 100 g) must not dominate a gradient or the standardization.
 * The statistics learn from the clipped value, so a single glitch does not widen the band for the samples after it.
 * The first {@link #MIN_SAMPLES} samples pass unclipped while the statistics form. Expects finite values.
 */
public final class OutlierClip {
    /** Samples seen before clipping starts. */
    public static final int MIN_SAMPLES = 16;

    private final float k;
    private final RunningMoments moments;
    private long clipped;

    /** Clips beyond {@code k} standard deviations ({@code k > 0}). */
    public OutlierClip(float k, int channels) {
        if (!(k > 0) || Float.isInfinite(k)) throw new IllegalArgumentException("k must be > 0, found " + k);
        this.k = k;
        this.moments = new RunningMoments(channels);
    }

    public void apply(float[] s, int offset) {
        if (moments.count() >= MIN_SAMPLES) {
            for (int c = 0; c < moments.channels(); c++) {
                double mean = moments.mean(c);
                double band = k * moments.std(c);
                float x = s[offset + c];
                if (x > mean + band) {
                    s[offset + c] = (float) (mean + band);
                    clipped++;
                } else if (x < mean - band) {
                    s[offset + c] = (float) (mean - band);
                    clipped++;
                }
            }
        }
        moments.add(s, offset);
    }

    /** Values clipped so far. */
    public void save(String prefix, org.edgetrain.io.Checkpoint c) {
        moments.save(prefix, c);
        c.longs(prefix + ".clipped", new long[] {clipped});
    }

    public void load(String prefix, org.edgetrain.io.Checkpoint c) {
        moments.load(prefix, c);
        clipped = c.longs(prefix + ".clipped")[0];
    }

    public long clipped() {
        return clipped;
    }
}
