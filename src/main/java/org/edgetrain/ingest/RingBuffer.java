package org.edgetrain.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A preallocated single-producer/single-consumer ring of samples: {@code capacity × channels} floats and
 * {@code capacity} timestamps, capacity a power of two so a sequence number maps to a slot with a mask.
 *
 * <pre>
 *   values     [slot 0: c0 c1 .. c(ch-1)][slot 1: ...] ... [slot capacity-1]
 *   timestamps [t0][t1] ... [t(capacity-1)]
 *   head: sequences published by the producer (source thread); tail: sequences taken by the consumer (trainer)
 *   slot of sequence s = s &amp; (capacity - 1); 0 &lt;= head - tail &lt;= capacity
 * </pre>
 *
 * <p>When the ring is full the producer drops the newest sample and counts an overrun. Dropping the newest (rather
 * than overwriting the oldest) means the producer never writes a slot the consumer may be copying, so there are no
 * torn samples and the consumer needs no retry loop; a trainer that falls this far behind sub-samples the stream
 * either way, and the counter says so; the first sample after a drop is marked ({@link #lastPollFollowsGap()}) so
 * that no window spans the gap. No locks: each side writes only its own counter, with release/acquire ordering
 * ({@link VarHandle}), and nothing is allocated per sample.
 */
public final class RingBuffer {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(RingBuffer.class, "head", long.class);
            TAIL = l.findVarHandle(RingBuffer.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int mask;
    private final int channels;
    private final float[] values;
    private final long[] timestamps;
    private final boolean[] afterGap; // per slot: samples were dropped just before this one
    private boolean dropped; // producer only: a sample was dropped since the last one published
    private boolean lastAfterGap; // consumer only
    @SuppressWarnings("unused") // accessed through HEAD
    private long head;
    @SuppressWarnings("unused") // accessed through TAIL
    private long tail;
    private volatile long overruns;

    /**
     * A ring of {@code capacity} samples of {@code channels} floats.
     *
     * @param capacity a power of two, at least 2
     * @param channels values per sample, at least 1
     */
    public RingBuffer(int capacity, int channels) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2, found " + capacity);
        }
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, found " + channels);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.channels = channels;
        this.values = new float[Math.multiplyExact(capacity, channels)];
        this.timestamps = new long[capacity];
        this.afterGap = new boolean[capacity];
    }

    /** Bytes this ring holds (values and timestamps), for memory plans. */
    public static long bytes(int capacity, int channels) {
        return (long) capacity * channels * Float.BYTES + (long) capacity * Long.BYTES;
    }

    public int capacity() {
        return capacity;
    }

    public int channels() {
        return channels;
    }

    /**
     * Producer side: copies one sample in and publishes it.
     *
     * @return false when the ring was full: the sample was dropped and counted as an overrun
     */
    public boolean offer(long timestamp, float[] src, int offset) {
        long h = (long) HEAD.getOpaque(this); // only this thread writes head
        long t = (long) TAIL.getAcquire(this);
        if (h - t >= capacity) {
            overruns++; // single writer: a plain increment of a volatile is safe
            dropped = true;
            return false;
        }
        int slot = (int) (h & mask);
        System.arraycopy(src, offset, values, slot * channels, channels);
        timestamps[slot] = timestamp;
        afterGap[slot] = dropped;
        dropped = false;
        HEAD.setRelease(this, h + 1); // the slot's contents are visible before the new head
        return true;
    }

    /**
     * Consumer side: copies the oldest sample out and frees its slot.
     *
     * @return its timestamp, or {@link Source#NO_SAMPLE} when the ring is empty
     */
    public long poll(float[] dst, int offset) {
        long t = (long) TAIL.getOpaque(this); // only this thread writes tail
        long h = (long) HEAD.getAcquire(this);
        if (t == h) return Source.NO_SAMPLE;
        int slot = (int) (t & mask);
        System.arraycopy(values, slot * channels, dst, offset, channels);
        long ts = timestamps[slot];
        lastAfterGap = afterGap[slot];
        TAIL.setRelease(this, t + 1); // the producer may reuse the slot only after we copied it
        return ts;
    }

    /** True when samples were dropped (overrun) right before the sample the last {@link #poll} returned. */
    public boolean lastPollFollowsGap() {
        return lastAfterGap;
    }

    /** Samples waiting for the consumer. */
    public int size() {
        return (int) ((long) HEAD.getAcquire(this) - (long) TAIL.getAcquire(this));
    }

    /** Samples published so far (dropped ones not included). */
    public long published() {
        return (long) HEAD.getAcquire(this);
    }

    /** Samples dropped because the ring was full. */
    public long overruns() {
        return overruns;
    }
}
