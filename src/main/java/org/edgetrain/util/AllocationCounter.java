package org.edgetrain.util;

import java.lang.management.ManagementFactory;

/**
 * Bytes the current thread has allocated on the Java heap, from HotSpot's
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}: how the zero-allocation promise is measured.
 */
public final class AllocationCounter {
    private static final com.sun.management.ThreadMXBean BEAN = bean();

    private AllocationCounter() {
    }

    private static com.sun.management.ThreadMXBean bean() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean b && b.isThreadAllocatedMemorySupported()) {
            b.setThreadAllocatedMemoryEnabled(true);
            return b;
        }
        return null;
    }

    public static boolean supported() {
        return BEAN != null;
    }

    /** Allocated bytes so far on this thread, or -1 where the JVM cannot tell. */
    public static long currentThread() {
        return BEAN == null ? -1 : BEAN.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
