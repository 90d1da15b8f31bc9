package org.edgetrain.nn;

/**
 * What flows between two layers: a window of {@code time} steps × {@code channels}, stored oldest step first, the
 * channels of one step side by side ({@code row[t·channels + c]}). That is PyTorch's {@code [N, L, C]}
 * ({@code batch_first}); a convolution's {@code [N, C, L]} is its transpose (see the README's layers language).
 * {@code sequence} is true when a time layer (conv1d, pooling, upsample1d, gru with all steps) produced it: a dense
 * layer then needs a {@code flatten} first, so that reading time × channels as one vector is a choice, not an accident.
 */
public record Shape(int time, int channels, boolean sequence) {
    public Shape {
        if (time < 1 || channels < 1) throw new IllegalArgumentException("shape must be at least 1 × 1, got " + time + " × " + channels);
    }

    /** A network's input: {@code width} values read as {@code width/channels} steps of {@code channels}. */
    public static Shape input(int width, int channels) {
        if (channels < 1 || width % channels != 0) {
            throw new IllegalArgumentException("input width " + width + " is not a whole number of steps of " + channels + " channels");
        }
        return new Shape(width / channels, channels, false);
    }

    /** A plain vector (after dense, flatten, global pooling, the last step of a gru). */
    public static Shape flat(int width) {
        return new Shape(1, width, false);
    }

    public int width() {
        return time * channels;
    }

    @Override
    public String toString() {
        return time + "×" + channels;
    }
}
