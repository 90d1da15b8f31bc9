package org.edgetrain.memory;

import java.util.Locale;

/**
 * Whether planned memory fits this JVM's heap, asked before allocating it: without the check a plan too big for
 * {@code -Xmx} ends in {@code OutOfMemoryError} in the middle of building, with a stack trace and no hint which setting
 * to change. With the serial collector a large array has to fit the old generation (about two thirds of the heap), so
 * the limit is that, less what is already in use.
 */
public final class HeapCheck {
    private HeapCheck() {
    }

    /** Bytes a new allocation may take now: two thirds of the maximum heap less what is in use. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return Math.max(0, rt.maxMemory() / 3 * 2 - used);
    }

    /** Refuses {@code bytes} for {@code what} when they do not fit, naming both numbers and the option to change. */
    public static void require(long bytes, String what) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > available()) {
            throw new org.edgetrain.BadInputException(String.format(Locale.ROOT,
                    "%s needs %s bytes, but this JVM's heap (-Xmx, the board profile's heap) is %s bytes with %s in use: "
                            + "raise -Xmx or make the model, batch or replay buffer smaller", what, MemoryPlan.group(bytes),
                    MemoryPlan.group(max), MemoryPlan.group(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())));
        }
    }
}
