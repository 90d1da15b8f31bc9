package org.edgetrain.log;

/**
 * A bounded first-in first-out queue of log entries on a monitor's wait and notify. Not ArrayBlockingQueue: its
 * locks park through ForkJoinPool, ~20 more classes in the daemon for the same few lines of work.
 */
final class LineQueue {
    private final WritingThread.Entry[] ring;
    private int head;
    private int size;

    LineQueue(int capacity) {
        ring = new WritingThread.Entry[capacity];
    }

    int capacity() {
        return ring.length;
    }

    /** Adds {@code e} unless the queue is full; never waits. */
    synchronized boolean offer(WritingThread.Entry e) {
        if (size == ring.length) return false;
        ring[(head + size++) % ring.length] = e;
        if (size == 1) notifyAll();
        return true;
    }

    /** Adds {@code e}, waiting up to {@code millis} for room; false if there was none. */
    synchronized boolean offer(WritingThread.Entry e, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        for (long left = millis; size == ring.length; left = end - System.currentTimeMillis()) {
            if (left <= 0) return false;
            wait(left);
        }
        return offer(e);
    }

    /** The oldest entry, or null if there is none. */
    synchronized WritingThread.Entry poll() {
        if (size == 0) return null;
        WritingThread.Entry e = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        if (size-- == ring.length) notifyAll();
        return e;
    }

    /** The oldest entry, waiting for one. */
    synchronized WritingThread.Entry take() throws InterruptedException {
        while (size == 0) wait();
        return poll();
    }
}
