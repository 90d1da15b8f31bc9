package org.edgetrain.monitor;

/** A ReLU-family layer's output as the health monitor reads it, for the dead-unit count, whatever the precision. */
interface HealthUnits {
    String name();

    /** Units (channels after a conv), each marked once active at any position. */
    int units();

    /** Values per row of the output. */
    int width();

    /** Sets {@code f[activity + j % units()] = 1} for every output value j of the first {@code rows} rows that is positive. */
    void markActive(float[] f, short[] s, int rows, int activity);
}
