package org.edgetrain.ingest.sim;

import org.edgetrain.ingest.Source;
import org.edgetrain.util.Rng;

/**
 * A deterministic vibration-like signal: each channel is the sum of a fundamental and two harmonics with seeded
 * frequencies, amplitudes and phases, plus Gaussian noise, like an accelerometer on a motor. The same seed gives the
 * same samples on every machine ({@link Rng}, {@link StrictMath}).
 *
 * <p>Anomalies can be injected: at each normal sample, with probability {@code anomalyRate}, an event starts and
 * lasts 8-31 samples (a spike lasts 1-3). Kinds: {@link Anomaly#SPIKE} (a large impulse on every channel), {@link
 * Anomaly#FREQUENCY_SHIFT} (the fundamental runs 1.8× faster, like a bearing going bad) and {@link Anomaly#DROPOUT}
 * (the sensor gives NaN, like a loose wire). {@link #anomaly()} tells what the last sample was, for tests and
 * demos.
 *
 * <p>{@link #read} is instant; the {@link org.edgetrain.ingest.SourceRunner} paces it in real time, or a test calls it
 * as fast as it likes. Timestamps are the sample index times the nominal period, so they are deterministic too.
 */
public final class SimulatedSensor implements Source {
    /** What the last sample carried. */
    public enum Anomaly {
        NONE, SPIKE, FREQUENCY_SHIFT, DROPOUT
    }

    private static final double TWO_PI = 2 * Math.PI;

    private final int channels;
    private final double anomalyRate;
    private final double noise;
    private final long periodNanos;
    private final double[] freq; // cycles per sample of each channel's fundamental
    private final double[] amp; // [channel][3] amplitudes of fundamental, 2nd and 3rd harmonic
    private final double[] phase; // [channel][3]
    private final double[] offset; // per channel DC offset (gravity on one axis, a bias on others)
    private final Rng noiseRng;
    private final Rng eventRng;
    private final String[] names;
    private long n;
    private Anomaly event = Anomaly.NONE;
    private int eventLeft;
    private double spikeSign;

    /**
     * A simulated sensor.
     *
     * @param channels channels per sample, 1..64
     * @param seed fixes the signal, the noise and the anomalies
     * @param anomalyRate probability per normal sample that an anomaly starts, in [0, 1]
     * @param noise standard deviation of the Gaussian noise (the signal's amplitude is about 1)
     * @param rateHz the nominal sample rate, for timestamps (0 counts as 100 Hz)
     */
    public SimulatedSensor(int channels, long seed, double anomalyRate, double noise, double rateHz) {
        if (channels < 1 || channels > 64) throw new IllegalArgumentException("channels must be in 1..64, found " + channels);
        if (!(anomalyRate >= 0 && anomalyRate <= 1)) throw new IllegalArgumentException("anomaly rate must be in [0, 1], found " + anomalyRate);
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new IllegalArgumentException("noise must be >= 0, found " + noise);
        this.channels = channels;
        this.anomalyRate = anomalyRate;
        this.noise = noise;
        this.periodNanos = Math.round(1e9 / (rateHz > 0 ? rateHz : 100));
        Rng shape = Rng.stream(seed, "sim shape");
        this.noiseRng = Rng.stream(seed, "sim noise");
        this.eventRng = Rng.stream(seed, "sim anomalies");
        this.freq = new double[channels];
        this.amp = new double[channels * 3];
        this.phase = new double[channels * 3];
        this.offset = new double[channels];
        this.names = new String[channels];
        for (int c = 0; c < channels; c++) {
            freq[c] = 0.02 + 0.04 * shape.nextDouble(); // 2-6 Hz at 100 Hz: a period of 17-50 samples
            for (int h = 0; h < 3; h++) {
                amp[c * 3 + h] = (h == 0 ? 1.0 : 0.5 / h) * (0.6 + 0.8 * shape.nextDouble());
                phase[c * 3 + h] = TWO_PI * shape.nextDouble();
            }
            offset[c] = c == channels - 1 && channels > 1 ? 1.0 : 0.2 * (shape.nextDouble() - 0.5);
            names[c] = "ch" + c;
        }
    }

    /** The demo's sensor: 3 channels, seed 1, 1 % anomalies, noise 0.05, 100 Hz. */
    public static SimulatedSensor demo() {
        return new SimulatedSensor(3, 1, 0.01, 0.05, 100);
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public String[] channelNames() {
        return names.clone();
    }

    @Override
    public long read(float[] values, int off) {
        nextEvent();
        double speed = event == Anomaly.FREQUENCY_SHIFT ? 1.8 : 1.0;
        for (int c = 0; c < channels; c++) {
            if (event == Anomaly.DROPOUT) {
                values[off + c] = Float.NaN;
                continue;
            }
            double t = n * freq[c];
            double x = offset[c];
            for (int h = 0; h < 3; h++) {
                x += amp[c * 3 + h] * StrictMath.sin(TWO_PI * (h + 1) * speed * t + phase[c * 3 + h]);
            }
            x += noise * noiseRng.nextGaussian();
            if (event == Anomaly.SPIKE) x += spikeSign * 6.0;
            values[off + c] = (float) x;
        }
        return n++ * periodNanos;
    }

    private void nextEvent() {
        if (eventLeft > 0) {
            eventLeft--;
            if (eventLeft == 0) event = Anomaly.NONE;
        }
        if (event == Anomaly.NONE && anomalyRate > 0 && eventRng.nextDouble() < anomalyRate) {
            int kind = eventRng.nextInt(3);
            event = kind == 0 ? Anomaly.SPIKE : kind == 1 ? Anomaly.FREQUENCY_SHIFT : Anomaly.DROPOUT;
            eventLeft = event == Anomaly.SPIKE ? 1 + eventRng.nextInt(3) : 8 + eventRng.nextInt(24);
            spikeSign = eventRng.nextInt(2) == 0 ? -1 : 1;
        }
    }

    /** What the last sample read carried. */
    /** The position in the signal and both generators, so a resumed daemon continues the same stream. */
    public void save(String prefix, org.edgetrain.io.Checkpoint c) {
        c.longs(prefix + ".pos", new long[] {n, event.ordinal(), eventLeft}).doubles(prefix + ".sign", new double[] {spikeSign})
                .ints(prefix + ".noise_rng", noiseRng.state()).ints(prefix + ".event_rng", eventRng.state());
    }

    public void load(String prefix, org.edgetrain.io.Checkpoint c) {
        long[] p = c.longs(prefix + ".pos");
        if (p[0] < 0 || p[1] < 0 || p[1] >= Anomaly.values().length || p[2] < 0 || p[2] > Integer.MAX_VALUE) {
            throw new org.edgetrain.BadInputException(prefix + ".pos is " + p[0] + ", " + p[1] + ", " + p[2] + "; allowed: >= 0, 0.."
                    + (Anomaly.values().length - 1) + ", >= 0");
        }
        n = p[0];
        event = Anomaly.values()[(int) p[1]];
        eventLeft = (int) p[2];
        spikeSign = c.doubles(prefix + ".sign")[0];
        noiseRng.setState(c.ints(prefix + ".noise_rng"));
        eventRng.setState(c.ints(prefix + ".event_rng"));
    }

    public Anomaly anomaly() {
        return event;
    }

    /** Samples read so far. */
    public long samples() {
        return n;
    }
}
