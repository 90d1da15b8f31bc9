package org.edgetrain.ingest;

import java.util.Locale;

/**
 * Where a training row's target comes from.
 *
 * <ul>
 *   <li>{@link Mode#COLUMN}: one channel of the source is the label (a CSV column); the target is its value at the
 *       window's last sample, and the channel is not a model input.
 *   <li>{@link Mode#GPIO}: the same, with the channel a GPIO input appends (1 while the user holds the button during
 *       an event, else 0).
 *   <li>{@link Mode#FORECAST}: self-supervised; the input is a window, the target the sample right after it.
 *   <li>{@link Mode#RECONSTRUCT}: self-supervised; the target is the input window itself (an autoencoder, whose
 *       reconstruction error scores anomalies).
 * </ul>
 * The self-supervised modes let a board learn from its sensors without anyone labeling.
 *
 * @param mode the kind of target
 * @param channel for {@code COLUMN} and {@code GPIO}: the label's channel in the source's samples; else -1
 */
public record Labeling(Mode mode, int channel) {
    /** The kind of target. */
    public enum Mode {
        COLUMN, GPIO, FORECAST, RECONSTRUCT;

        /** Parses {@code column}, {@code gpio}, {@code forecast} or {@code reconstruct}; null otherwise. */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().toLowerCase(Locale.ROOT).equals(s)) return m;
            return null;
        }
    }

    public Labeling {
        boolean hasChannel = mode == Mode.COLUMN || mode == Mode.GPIO;
        if (hasChannel != channel >= 0) throw new IllegalArgumentException(mode + " with label channel " + channel);
    }

    /** The label is channel {@code channel} of the source. */
    public static Labeling column(int channel) {
        return new Labeling(Mode.COLUMN, channel);
    }

    /** The label is the GPIO channel {@code channel} (appended by {@code GpioLabel}). */
    public static Labeling gpio(int channel) {
        return new Labeling(Mode.GPIO, channel);
    }

    /** Predict the next sample from a window. */
    public static Labeling forecast() {
        return new Labeling(Mode.FORECAST, -1);
    }

    /** Reconstruct the window (autoencoder). */
    public static Labeling reconstruct() {
        return new Labeling(Mode.RECONSTRUCT, -1);
    }

    /** True when one source channel is the label rather than an input. */
    public boolean usesChannel() {
        return channel >= 0;
    }
}
