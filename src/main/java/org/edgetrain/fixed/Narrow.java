package org.edgetrain.fixed;

/**
 * The last step of the time layers' integer arithmetic, as the product kernels end theirs: an exact sum is narrowed
 * once to int16 (round half up, saturation), and the tensor's {@code stats} record the largest magnitude before
 * saturation and each saturation ({@link FixedKernels}).
 */
final class Narrow {
    private Narrow() {
    }

    /** {@code sat(roundShift(acc, shift))}, recorded in {@code stats}. */
    static short shift(long acc, int shift, long[] stats) {
        return saturate(FixedKernels.roundShift(acc, shift), stats);
    }

    /**
     * {@code sat(round(acc / divisor · 2^-shift))}, round half up, recorded in {@code stats}: a mean (pooling) moved to
     * another tensor's grid with one rounding, not two.
     */
    static short divide(long acc, int divisor, int shift, long[] stats) {
        long v;
        if (shift >= 0) {
            long d = (long) divisor << Math.min(shift, 40);
            v = Math.floorDiv(2 * acc + d, 2 * d);
        } else {
            // a left shift: sums past 2^40 saturate anyway, so clamp before shifting to keep 2·(acc << s) in a long
            long lim = 1L << 40;
            long t = Math.max(-lim, Math.min(lim, acc)) << Math.min(-shift, 20);
            v = Math.floorDiv(2 * t + divisor, 2L * divisor);
        }
        return saturate(v, stats);
    }

    static short saturate(long v, long[] stats) {
        long m = Math.abs(v);
        if (m > stats[0]) stats[0] = m;
        if (v > Short.MAX_VALUE) {
            stats[1]++;
            return Short.MAX_VALUE;
        }
        if (v < Short.MIN_VALUE) {
            stats[1]++;
            return Short.MIN_VALUE;
        }
        return (short) v;
    }
}
