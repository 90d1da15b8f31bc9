package org.edgetrain.nn;

import java.util.Arrays;

/**
 * A named tensor outside the arena, as files carry it: fp32 values, or int64 values for counters such as
 * BatchNorm's {@code num_batches_tracked}. Exactly one of {@code floats} and {@code longs} is non-null.
 */
public record TensorData(String name, int[] shape, float[] floats, long[] longs) {

    public TensorData {
        shape = shape.clone();
        if ((floats == null) == (longs == null)) throw new IllegalArgumentException(name + ": exactly one of floats/longs");
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        int len = floats != null ? floats.length : longs.length;
        if (n != len) throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n + " values, got " + len);
    }

    public static TensorData ofFloats(String name, int[] shape, float[] values) {
        return new TensorData(name, shape, values, null);
    }

    public static TensorData ofLong(String name, long value) {
        return new TensorData(name, new int[0], null, new long[] {value});
    }

    public boolean isFloat() {
        return floats != null;
    }

    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The shape as PyTorch prints it, e.g. {@code [128, 64]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.floats, floats) && Arrays.equals(t.longs, longs);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + shapeText() + (floats != null ? " f32" : " i64");
    }
}
