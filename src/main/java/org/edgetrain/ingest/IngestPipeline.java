package org.edgetrain.ingest;

import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.ingest.preprocess.MissingValues;
import org.edgetrain.ingest.preprocess.OutlierClip;
import org.edgetrain.ingest.preprocess.RunningStandardizer;
import org.edgetrain.ingest.preprocess.Windower;

/**
 * The whole ingest path for a trainer: a {@link Source} on its own thread ({@link SourceRunner}) fills a {@link
 * RingBuffer}; {@link #nextBatch} drains it on the trainer's thread through missing values, outlier clipping,
 * standardization and sliding windows into rows of model inputs and targets ({@link Labeling}). Everything is
 * allocated here, once; the steady state allocates nothing on either thread.
 *
 * <pre>
 * source thread:  Source.read ─► RingBuffer.offer            (full ring: dropped, counted)
 * trainer thread: RingBuffer.poll ─► label split ─► MissingValues ─► OutlierClip ─► RunningStandardizer ─► Windower
 *                 ─► x row [window × features], y row [1 | features | window × features]
 * </pre>
 *
 * <p>While the standardizer warms up ({@link Settings#warmup()} samples) no rows come out, so every row is on the
 * same scale. A window never spans a gap: after samples lost to an overrun or dropped for a missing value (or label)
 * the window starts filling again. {@link #pump} runs the source on the caller's thread instead, for tests and single-threaded use.
 */
public final class IngestPipeline implements AutoCloseable {
    /** How samples are standardized. */
    public enum Standardize {
        /** not at all */
        OFF,
        /** running mean and variance, updated with every sample */
        RUNNING,
        /** frozen after the warm-up */
        FROZEN
    }

    /**
     * Preprocessing and threading settings.
     *
     * @param missing what to do with NaN and infinite values
     * @param outlierK clip beyond this many standard deviations; 0 turns clipping off
     * @param standardize how to standardize
     * @param warmup samples before rows come out (and before a frozen standardizer freezes)
     * @param window samples per window
     * @param stride samples between windows
     * @param labeling where targets come from
     * @param ringCapacity samples the ring buffer holds, a power of two
     * @param rateHz samples per second of the source thread; 0 for as fast as the source gives them
     * @param policy retry and re-probe timing
     */
    public record Settings(MissingValues.Policy missing, float outlierK, Standardize standardize, int warmup, int window, int stride,
            Labeling labeling, int ringCapacity, double rateHz, SourceRunner.Policy policy) {
        /** Hold missing values, no clipping, running standardization after 100 samples, windows of 32 every 32. */
        public static Settings defaults(Labeling labeling) {
            return new Settings(MissingValues.Policy.HOLD, 0f, Standardize.RUNNING, 100, 32, 32, labeling, 1024, 0,
                    SourceRunner.Policy.defaults());
        }

        public Settings withWindow(int size, int strideSamples) {
            return new Settings(missing, outlierK, standardize, warmup, size, strideSamples, labeling, ringCapacity, rateHz, policy);
        }

        public Settings withStandardize(Standardize s, int warmupSamples) {
            return new Settings(missing, outlierK, s, warmupSamples, window, stride, labeling, ringCapacity, rateHz, policy);
        }

        public Settings withMissing(MissingValues.Policy m) {
            return new Settings(m, outlierK, standardize, warmup, window, stride, labeling, ringCapacity, rateHz, policy);
        }

        public Settings withOutlierK(float k) {
            return new Settings(missing, k, standardize, warmup, window, stride, labeling, ringCapacity, rateHz, policy);
        }

        public Settings withRing(int capacity) {
            return new Settings(missing, outlierK, standardize, warmup, window, stride, labeling, capacity, rateHz, policy);
        }

        public Settings withRate(double hz) {
            return new Settings(missing, outlierK, standardize, warmup, window, stride, labeling, ringCapacity, hz, policy);
        }
    }

    private final Source source;
    private long waits; // wake-ups of the waiting consumer, for the idle-cost test
    private final Settings settings;
    private final SourceStats stats;
    private final RingBuffer ring;
    private final SourceRunner runner;
    private final int features;
    private final float[] raw;
    private final float[] sample;
    private final MissingValues missing;
    private final OutlierClip outliers;
    private final RunningStandardizer standardizer;
    private final Windower windower;
    private final int inputWidth;
    private final int targetWidth;
    private float label;
    private long warmupLeft;

    /** A pipeline over {@code source}; {@code stats} collects its counters (shared with the source, e.g. a CSV file's). */
    /** The source runs on its own thread ({@link #start}): its position is then ahead of the samples taken. */
    private boolean threaded;

    public IngestPipeline(Source source, Settings s, SourceStats stats) {
        int channels = source.channels();
        Labeling l = s.labeling();
        if (l.usesChannel() && l.channel() >= channels) {
            throw new IllegalArgumentException("label channel " + l.channel() + " but the source has " + channels + " channels");
        }
        this.source = source;
        this.settings = s;
        this.stats = stats;
        this.features = channels - (l.usesChannel() ? 1 : 0);
        if (features < 1) throw new IllegalArgumentException("no input channels besides the label");
        this.ring = new RingBuffer(s.ringCapacity(), channels);
        this.runner = new SourceRunner(source, ring, stats, s.rateHz(), s.policy());
        this.raw = new float[channels];
        this.sample = new float[features];
        this.missing = new MissingValues(s.missing(), features);
        this.outliers = s.outlierK() > 0 ? new OutlierClip(s.outlierK(), features) : null;
        this.standardizer = s.standardize() == Standardize.OFF ? null
                : new RunningStandardizer(features, s.standardize() == Standardize.FROZEN, s.warmup());
        this.warmupLeft = s.warmup();
        boolean forecast = l.mode() == Labeling.Mode.FORECAST;
        this.windower = new Windower(s.window() + (forecast ? 1 : 0), s.stride(), features);
        this.inputWidth = s.window() * features;
        this.targetWidth = switch (l.mode()) {
            case COLUMN, GPIO -> 1;
            case FORECAST -> features;
            case RECONSTRUCT -> inputWidth;
        };
    }

    public Source source() {
        return source;
    }

    public Settings settings() {
        return settings;
    }

    public SourceStats stats() {
        return stats;
    }

    public RingBuffer ring() {
        return ring;
    }

    /** Floats per input row: window × features. */
    public int inputWidth() {
        return inputWidth;
    }

    /** Floats per target row: 1 for a label, features for a forecast, the input width for reconstruction. */
    public int targetWidth() {
        return targetWidth;
    }

    /** Input channels per sample (the source's channels without the label). */
    public int features() {
        return features;
    }

    /** The standardizer, or null when {@code standardize = off}. */
    public RunningStandardizer standardizer() {
        return standardizer;
    }

    /** Starts the source thread. */
    public void start() {
        threaded = true;
        runner.start();
    }

    /**
     * Runs the source on the caller's thread instead of its own: up to {@code samples} attempts of {@link
     * SourceRunner#doWork()}.
     *
     * @return samples read
     */
    public int pump(int samples) {
        int read = 0;
        for (int i = 0; i < samples; i++) {
            int r = runner.doWork();
            if (r < 0) break;
            read += r;
        }
        return read;
    }

    /** True when the source ended (a file not followed, stdin closed) and every sample was taken from the ring. */
    /** Times {@link #nextBatch(float[], float[], int, long)} woke up without a row (once per sample, not per poll). */
    public long waits() {
        return waits;
    }

    public boolean finished() {
        if (runner.failure() != null) throw runner.failure(); // on the consumer's thread: exit 2 as for a CSV file
        return runner.finished() && ring.size() == 0;
    }

    /**
     * Fills up to {@code maxRows} rows of {@code x} (input width each) and {@code y} (target width each) from the
     * samples waiting in the ring; does not wait.
     *
     * @return rows filled, 0 when no window is complete yet
     */
    public int nextBatch(float[] x, float[] y, int maxRows) {
        int rows = 0;
        while (rows < maxRows) {
            if (ring.poll(raw, 0) == Source.NO_SAMPLE) break;
            if (ring.lastPollFollowsGap()) windower.reset(); // a window never spans samples lost to an overrun
            if (process() && emit(x, rows * inputWidth, y, rows * targetWidth)) rows++;
        }
        if (rows > 0) stats.add(Counter.WINDOWS, rows);
        return rows;
    }

    /**
     * Like {@link #nextBatch(float[], float[], int)} but waits up to {@code timeoutNanos} for at least one row. The
     * trainer sleeps until the source thread hands it a sample ({@link SourceRunner#awaitSample}): at a sensor rate of
     * 100 Hz it wakes about 100 times a second, where polling every 200 µs woke it 5,000 times (issue 16.5).
     */
    public int nextBatch(float[] x, float[] y, int maxRows, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int rows = nextBatch(x, y, maxRows);
            long left = deadline - System.nanoTime();
            if (rows > 0 || finished() || left <= 0) return rows;
            runner.awaitSample(left);
            waits++;
        }
    }

    /** One sample from {@link #raw} through the steps; true when it reached the windower and a window is ready. */
    private boolean process() {
        Labeling l = settings.labeling();
        if (l.usesChannel()) {
            label = raw[l.channel()];
            if (!Float.isFinite(label)) { // a row without a label teaches nothing
                stats.increment(Counter.MISSING_VALUES);
                stats.increment(Counter.DROPPED_SAMPLES);
                windower.reset();
                return false;
            }
            for (int c = 0, k = 0; c < raw.length; c++) if (c != l.channel()) sample[k++] = raw[c];
        } else {
            System.arraycopy(raw, 0, sample, 0, features);
        }
        long missingBefore = missing.missing();
        boolean keep = missing.apply(sample, 0);
        stats.add(Counter.MISSING_VALUES, missing.missing() - missingBefore);
        if (!keep) {
            stats.increment(Counter.DROPPED_SAMPLES);
            windower.reset(); // nor one with a dropped sample in it
            return false;
        }
        if (outliers != null) {
            long before = outliers.clipped();
            outliers.apply(sample, 0);
            stats.add(Counter.OUTLIERS, outliers.clipped() - before);
        }
        if (standardizer != null) standardizer.apply(sample, 0);
        if (warmupLeft > 0) {
            warmupLeft--;
            return false;
        }
        return windower.push(sample, 0);
    }

    private boolean emit(float[] x, int xo, float[] y, int yo) {
        int w = settings.window();
        switch (settings.labeling().mode()) {
            case COLUMN, GPIO -> {
                windower.copyWindow(x, xo);
                y[yo] = label;
            }
            case FORECAST -> {
                windower.copySamples(0, w, x, xo);
                windower.copySamples(w, 1, y, yo);
            }
            case RECONSTRUCT -> {
                windower.copyWindow(x, xo);
                System.arraycopy(x, xo, y, yo, inputWidth);
            }
        }
        return true;
    }

    /**
     * Writes the preprocessing state (missing-value memory, outlier and standardization statistics, the window being
     * filled, the warm-up left) and, for the simulated sensor, its position: with the source run on the caller's
     * thread ({@link #pump}) a resumed pipeline continues the very same rows.
     */
    public void saveState(org.edgetrain.io.Checkpoint c) {
        missing.save("ingest.missing", c);
        if (outliers != null) outliers.save("ingest.outliers", c);
        if (standardizer != null) standardizer.save("ingest.standardizer", c);
        windower.save("ingest.window", c);
        c.longs("ingest.warmup_left", new long[] {warmupLeft});
        if (source instanceof org.edgetrain.ingest.sim.SimulatedSensor sim) sim.save("ingest.sim", c);
        // a CSV file read on the caller's thread (rate_hz = 0): where its next line starts, so a restart goes on there;
        // read on its own thread, the file is ahead of the samples taken (the ring's), so it is read again from the top
        if (source instanceof org.edgetrain.ingest.files.CsvSource csv && !threaded) {
            try {
                csv.save("ingest.csv", c);
            } catch (java.io.IOException e) { // the file went away: a resumed daemon reads whatever is there from the top
                org.edgetrain.log.Log.warn("{}: position not checkpointed: {}", csv.name(), e.getMessage());
            }
        }
    }

    public void loadState(org.edgetrain.io.Checkpoint c) {
        missing.load("ingest.missing", c);
        if (outliers != null) outliers.load("ingest.outliers", c);
        if (standardizer != null) standardizer.load("ingest.standardizer", c);
        windower.load("ingest.window", c);
        long left = c.longs("ingest.warmup_left")[0];
        if (left < 0 || left > settings.warmup()) {
            throw new org.edgetrain.BadInputException("ingest.warmup_left is " + left + "; allowed 0.." + settings.warmup());
        }
        warmupLeft = left;
        if (source instanceof org.edgetrain.ingest.sim.SimulatedSensor sim && c.has("ingest.sim.pos")) sim.load("ingest.sim", c);
        if (source instanceof org.edgetrain.ingest.files.CsvSource csv && c.has("ingest.csv.pos")) {
            try {
                csv.load("ingest.csv", c);
            } catch (java.io.IOException e) {
                org.edgetrain.log.Log.warn("{}: cannot check the checkpoint's position ({}); reading it from the top", csv.name(), e.getMessage());
            }
        }
    }

    /** Stops the source thread and closes the source. */
    @Override
    public void close() {
        runner.close();
    }
}
