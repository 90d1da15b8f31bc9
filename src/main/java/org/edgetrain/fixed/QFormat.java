package org.edgetrain.fixed;

/**
 * The power-of-two scale of one int16 tensor, Q-format style: {@code real = q · 2^-frac}, and the rule that adapts it.
 *
 * <p>Kernels that write the tensor report into {@link #stats()} the largest magnitude they produced before
 * saturating (in units of the current last bit) and how many values they saturated. After each training step
 * {@link #adapt} applies the rule, with the full range being 32,768 units:
 * <ul>
 *   <li>grow at once: if the step's largest magnitude exceeded half the range, lower {@code frac} by as many bits as it
 *       takes to bring it back under half (a value that saturated this step fits the next one);</li>
 *   <li>shrink slowly: every {@link #ADAPT_EVERY} steps, if the largest magnitude of the whole window stayed under an
 *       eighth of the range, raise {@code frac} by one bit (one more bit of resolution, still 2× headroom).</li>
 * </ul>
 * The gap between a half and an eighth is hysteresis: a tensor whose range wobbles does not flip its scale every
 * window. Initial scales come from the data: {@link #fitReal} for weights (their initial maximum) and
 * {@link #fitObserved} for activations and gradients (their maximum over a calibration pass on the first batch), both
 * placing the maximum in (¼, ½] of the range.
 */
public final class QFormat {
    /** Steps between checks whether a tensor's range shrank. */
    public static final int ADAPT_EVERY = 32;
    /** Bounds on {@code frac}; the kernels clamp the shifts they derive to [−40, 62] (FixedKernels.roundShift). */
    public static final int MIN_FRAC = -8, MAX_FRAC = 30;
    static final long HALF = 1 << 14;
    static final long EIGHTH = 1 << 12;

    private final String name;
    private final boolean stored;
    private int frac;
    private final long[] stats = new long[2];
    private long windowMax;
    private int windowSteps;
    private long saturations;
    private boolean pinned;

    /**
     * @param stored true for tensors that persist across steps (weights, velocities): a change of scale must rescale
     *               their values, which the owner does with the delta {@link #adapt} returns
     */
    public QFormat(String name, int frac, boolean stored) {
        this.name = name;
        this.frac = frac;
        this.stored = stored;
    }

    public String name() {
        return name;
    }

    /** Fractional bits: {@code real = q · 2^-frac}. */
    public int frac() {
        return frac;
    }

    public boolean stored() {
        return stored;
    }

    /** {@code [0]}: largest magnitude written since the last adapt (before saturation); {@code [1]}: saturations. */
    public long[] stats() {
        return stats;
    }

    /** Values clipped to the int16 range over the whole run. */
    public long saturations() {
        return saturations;
    }

    /** One value in real units. */
    public float real(int q) {
        return Math.scalb((float) q, -frac);
    }

    /** Quantizes a float, round to nearest, saturating; records the magnitude and any saturation. */
    public short quantize(float v) {
        double s = Math.rint(Math.scalb((double) v, frac));
        double mag = Math.abs(s);
        if (mag > stats[0]) stats[0] = mag >= 0x1p62 ? Long.MAX_VALUE : (long) mag;
        if (s > Short.MAX_VALUE) {
            stats[1]++;
            return Short.MAX_VALUE;
        }
        if (s < Short.MIN_VALUE) {
            stats[1]++;
            return Short.MIN_VALUE;
        }
        return (short) s;
    }

    /** Places a real maximum magnitude in (¼, ½] of the range (no change for 0 or non-finite). */
    public void fitReal(double maxAbs) {
        if (pinned || maxAbs == 0 || !Double.isFinite(maxAbs)) return;
        frac = clamp(13 - Math.getExponent(maxAbs));
    }

    /** Places the magnitude observed since the last reset in (¼, ½] of the range; clears the statistics. */
    public void fitObserved() {
        long m = stats[0];
        if (m > 0 && !pinned) frac = clamp(frac + 13 - (63 - Long.numberOfLeadingZeros(m)));
        stats[0] = 0;
        stats[1] = 0;
    }

    /**
     * Fixes the format at {@code frac} for good, like a hand-set Q-format: {@link #adapt} and the fits then only count
     * saturations. For experiments (the round-to-nearest comparison); training never pins.
     */
    public void pin(int frac) {
        this.frac = clamp(frac);
        this.pinned = true;
    }

    /** Clears the statistics without adapting (after calibration passes). */
    public void clear() {
        stats[0] = 0;
        stats[1] = 0;
    }

    /**
     * Applies the rule to the step just run and clears the step's statistics. Returns the change of {@code frac}
     * (negative: the range grew), which a stored tensor's owner applies to its values.
     */
    public int adapt() {
        long m = stats[0];
        saturations += stats[1];
        stats[0] = 0;
        stats[1] = 0;
        if (m > windowMax) windowMax = m;
        if (pinned) return 0;
        int delta = 0;
        if (m > HALF) {
            int k = 0;
            while ((m >> k) > HALF) k++;
            delta = -k;
            windowMax = 0;
            windowSteps = 0;
        } else if (++windowSteps >= ADAPT_EVERY) {
            if (windowMax > 0 && windowMax < EIGHTH) delta = 1;
            windowMax = 0;
            windowSteps = 0;
        }
        int next = clamp(frac + delta);
        delta = next - frac;
        frac = next;
        return delta;
    }

    /** Longs of {@link #saveState}: frac, the step's two statistics, the window's maximum and length, saturations, pinned. */
    public static final int STATE_LONGS = 7;

    /** Writes everything the rule remembers into {@code out[at .. at+STATE_LONGS)}: resuming needs it to stay bit-exact. */
    public void saveState(long[] out, int at) {
        out[at] = frac;
        out[at + 1] = stats[0];
        out[at + 2] = stats[1];
        out[at + 3] = windowMax;
        out[at + 4] = windowSteps;
        out[at + 5] = saturations;
        out[at + 6] = pinned ? 1 : 0;
    }

    /** Restores what {@link #saveState} wrote. */
    public void loadState(long[] in, int at) {
        frac = (int) in[at];
        stats[0] = in[at + 1];
        stats[1] = in[at + 2];
        windowMax = in[at + 3];
        windowSteps = (int) in[at + 4];
        saturations = in[at + 5];
        pinned = in[at + 6] != 0;
    }

    private static int clamp(int f) {
        return Math.max(MIN_FRAC, Math.min(MAX_FRAC, f));
    }

    @Override
    public String toString() {
        return name + " Q" + frac;
    }
}
