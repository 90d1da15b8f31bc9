package org.edgetrain.util;

/**
 * Named sections of floats, longs and ints that a component writes its resumable state into and reads it back from.
 * The checkpoint file ({@code io.Checkpoint}) implements it; the trainers see only this, so {@code train} does not
 * depend on the file format above it.
 */
public interface StateSections {
    StateSections floats(String name, float[] v);

    StateSections longs(String name, long[] v);

    StateSections ints(String name, int[] v);

    /** A section written before, or an error naming the missing section. */
    float[] floats(String name);

    long[] longs(String name);

    int[] ints(String name);

    boolean has(String name);
}
