package org.edgetrain.ingest;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.log.Log;

/**
 * Reads a {@link Source} on its own thread at a fixed rate and offers each sample to a {@link RingBuffer}, so the
 * trainer never waits for a sensor and a sensor never waits for the trainer (a full ring is an overrun, counted).
 *
 * <p>Failures: a failed read is retried with exponential back-off ({@link Policy}); the first failure of a burst is
 * logged once, and the recovery once. After {@link Policy#retries()} failures in a row the sensor is reported gone
 * and re-probed ({@link Source#open()}) every {@link Policy#reprobeNanos()} until it answers again.
 *
 * <p>{@link #doWork()} does one step of that state machine without blocking (the Agrona duty-cycle shape), so tests
 * and a single-threaded caller can drive a source without a thread; {@link #start()} runs it on a thread that paces
 * samples at {@code rateHz} (0: as fast as the source gives them). The steady state allocates nothing.
 */
public final class SourceRunner implements AutoCloseable {
    /**
     * Retry and re-probe timing.
     *
     * @param retries failed reads in a row before the sensor is reported gone
     * @param backoffNanos wait after the first failure; doubled after each further failure
     * @param maxBackoffNanos the longest wait between retries
     * @param reprobeNanos interval between re-probes of a vanished sensor
     */
    public record Policy(int retries, long backoffNanos, long maxBackoffNanos, long reprobeNanos) {
        /** 5 retries from 10 ms doubling up to 1 s, re-probe every 5 s. */
        public static Policy defaults() {
            return new Policy(5, 10_000_000L, 1_000_000_000L, 5_000_000_000L);
        }
    }

    private final Source source;
    private final RingBuffer ring;
    private final SourceStats stats;
    private final long periodNanos;
    private final Policy policy;
    private final float[] sample;

    private boolean opened;
    private boolean gone;
    private volatile boolean finished;
    private volatile Thread waiter; // the consumer parked in awaitSample, or null
    private volatile org.edgetrain.BadInputException failure;
    private int failures;
    private long backoff;
    private long notBefore;
    private Thread thread;
    private volatile boolean running;

    /**
     * A runner that reads {@code source} into {@code ring}.
     *
     * @param rateHz samples per second, or 0 for as fast as the source gives them
     */
    public SourceRunner(Source source, RingBuffer ring, SourceStats stats, double rateHz, Policy policy) {
        if (ring.channels() != source.channels()) {
            throw new IllegalArgumentException("ring has " + ring.channels() + " channels, source " + source.name() + " has " + source.channels());
        }
        if (!(rateHz >= 0) || Double.isInfinite(rateHz)) throw new IllegalArgumentException("rate must be >= 0 Hz, found " + rateHz);
        this.source = source;
        this.ring = ring;
        this.stats = stats;
        this.periodNanos = rateHz == 0 ? 0 : Math.max(1, Math.round(1e9 / rateHz));
        this.policy = policy;
        this.sample = new float[source.channels()];
        this.backoff = policy.backoffNanos();
    }

    public Source source() {
        return source;
    }

    public RingBuffer ring() {
        return ring;
    }

    public SourceStats stats() {
        return stats;
    }

    /** True once the source reported its end. */
    public boolean finished() {
        return finished;
    }

    /**
     * Parks the calling (consumer) thread until the source thread publishes a sample or ends, or {@code nanos} pass.
     * The caller polls the ring after this returns; a sample published between its last poll and the park leaves the
     * park's permit set, so nothing is missed. One waiter at a time (the trainer).
     */
    public void awaitSample(long nanos) {
        if (finished || nanos <= 0) return;
        waiter = Thread.currentThread();
        try {
            if (!finished) LockSupport.parkNanos(this, nanos);
        } finally {
            waiter = null;
        }
    }

    /** The bad input that ended the source, or null. */
    public org.edgetrain.BadInputException failure() {
        return failure;
    }

    /** True while the sensor is reported gone and being re-probed. */
    public boolean gone() {
        return gone;
    }

    /**
     * One step: open or re-probe if needed, else read one sample and offer it to the ring. Never blocks (a read of
     * the source itself may take the time of one bus transfer).
     *
     * @return 1 when a sample was read (published or counted as an overrun), 0 when none was available or we are
     *     waiting (back-off, re-probe), -1 at the end of the stream
     */
    public int doWork() {
        if (finished) return -1;
        long now = System.nanoTime();
        if (now - notBefore < 0) return 0;
        if ((!opened || gone) && !probe(now)) return 0;
        if (source.waitsWhenFull() && ring.size() >= ring.capacity()) return 0; // a file waits; nothing is lost
        long ts;
        try {
            ts = source.read(sample, 0);
        } catch (org.edgetrain.BadInputException e) {
            // bad input (stdin's header names other columns, or there is no input): retrying cannot fix it, and the
            // CSV source refuses the same at start; the consumer gets it from IngestPipeline.finished()
            failure = e;
            finished = true;
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
            return -1;
        } catch (IOException | RuntimeException e) { // Pi4J reports bus errors unchecked; a daemon must not lose its source thread
            failed(now, e);
            return 0;
        }
        if (failures > 0) {
            Log.info("{}: reads work again after {} failed", source.name(), failures);
            failures = 0;
            backoff = policy.backoffNanos();
        }
        if (ts == Source.NO_SAMPLE) return 0;
        if (ts == Source.END) {
            finished = true;
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
            return -1;
        }
        stats.increment(Counter.SAMPLES);
        if (!ring.offer(ts, sample, 0)) stats.increment(Counter.OVERRUNS);
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w); // hand-off: the consumer sleeps until a sample arrives, no polling
        return 1;
    }

    /** Opens or re-probes the source; true when it answered. */
    private boolean probe(long now) {
        if (opened) stats.increment(Counter.REPROBES);
        try {
            source.open();
        } catch (IOException | RuntimeException e) {
            if (!gone) {
                gone = true;
                stats.increment(Counter.DISCONNECTS);
                Log.warn("{}: not answering ({}); re-probing every {} ms", source.name(), e.getMessage(), policy.reprobeNanos() / 1_000_000);
            }
            opened = true; // later attempts are re-probes
            notBefore = now + policy.reprobeNanos();
            return false;
        }
        if (gone) Log.warn("{}: answering again", source.name());
        opened = true;
        gone = false;
        failures = 0;
        backoff = policy.backoffNanos();
        return true;
    }

    private void failed(long now, Exception e) {
        stats.increment(Counter.READ_ERRORS);
        failures++;
        if (failures == 1) Log.warn("{}: read failed ({}); retrying with back-off", source.name(), e.getMessage());
        if (failures > policy.retries()) {
            gone = true;
            stats.increment(Counter.DISCONNECTS);
            Log.warn("{}: {} reads in a row failed ({}); reported gone, re-probing every {} ms", source.name(), failures,
                    e.getMessage(), policy.reprobeNanos() / 1_000_000);
            failures = 0;
            backoff = policy.backoffNanos();
            notBefore = now + policy.reprobeNanos();
            return;
        }
        notBefore = now + backoff;
        backoff = Math.min(policy.maxBackoffNanos(), backoff * 2);
    }

    /** Starts the source thread (a daemon thread named after the source). */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        running = true;
        thread = new Thread(new Loop(), "ingest " + source.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** The thread's body; a class, not {@code this::loop}: the daemon's path bootstraps no lambda (DaemonClassLoadTest). */
    private final class Loop implements Runnable {
        @Override
        public void run() {
            loop();
        }
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            long wait = Math.max(notBefore - now, periodNanos > 0 ? next - now : 0);
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            int r = doWork();
            if (r < 0) break;
            if (r > 0) {
                next += periodNanos;
                if (now - next > periodNanos) next = now; // fell behind (GC, slow bus): resume the rate, no burst
            } else if (!gone && notBefore - now <= 0) {
                // nothing available (a followed file, a closed trigger): poll again soon, not in a hot spin
                notBefore = now + Math.max(periodNanos, 1_000_000L);
            }
        }
        running = false;
    }

    /** True while the thread runs. */
    public boolean running() {
        return running;
    }

    /** Stops the thread, waits for it, and closes the source. */
    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        source.close();
    }
}
