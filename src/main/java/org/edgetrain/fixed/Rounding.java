package org.edgetrain.fixed;

import java.util.Locale;

/**
 * How a weight update is rounded to the weight's int16 grid ({@code engine.rounding}).
 *
 * <p>{@link #STOCHASTIC} rounds up with probability equal to the dropped fraction, so an update smaller than one
 * step of the grid still moves the weight in expectation (Gupta et al. 2015, "Deep Learning with Limited Numerical
 * Precision"); {@link #NEAREST} drops it, and at small learning rates most updates vanish. Nearest stays available to
 * show exactly that.
 */
public enum Rounding {
    STOCHASTIC, NEAREST;

    /** The config spelling. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value a config names, or null. */
    public static Rounding parse(String s) {
        for (Rounding r : values()) if (r.configName().equals(s)) return r;
        return null;
    }
}
