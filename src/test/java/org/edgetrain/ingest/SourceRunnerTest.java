package org.edgetrain.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.ingest.sim.SimulatedSensor;
import org.junit.jupiter.api.Test;

class SourceRunnerTest {
    /** Microsecond back-off so tests need not sleep. */
    static final SourceRunner.Policy FAST = new SourceRunner.Policy(3, 1_000, 4_000, 20_000);

    /** A source whose reads fail while {@code failing} is set, and whose open fails while {@code absent} is set. */
    static final class FlakySource implements Source {
        boolean failing;
        boolean absent;
        int opens;
        long n;

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public int channels() {
            return 1;
        }

        @Override
        public String[] channelNames() {
            return new String[] {"x"};
        }

        @Override
        public void open() throws IOException {
            opens++;
            if (absent) throw new IOException("no device");
        }

        @Override
        public long read(float[] v, int off) throws IOException {
            if (failing) throw new IOException("bus error");
            v[off] = n;
            return n++;
        }
    }

    private static void workUntil(SourceRunner r, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L; // a safety net against a hang, not a timing assertion
        while (!done.getAsBoolean()) {
            r.doWork();
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached; stats " + r.stats());
        }
    }

    @Test
    void aFailedReadIsRetriedAndCountedAndTheStreamGoesOn() {
        FlakySource src = new FlakySource();
        SourceRunner r = new SourceRunner(src, new RingBuffer(16, 1), new SourceStats(), 0, FAST);
        workUntil(r, () -> r.stats().get(Counter.SAMPLES) == 2);
        src.failing = true;
        workUntil(r, () -> r.stats().get(Counter.READ_ERRORS) == 2);
        src.failing = false;
        workUntil(r, () -> r.stats().get(Counter.SAMPLES) == 4);
        assertEquals(0, r.stats().get(Counter.DISCONNECTS));
        assertFalse(r.gone());
        assertEquals(4, r.ring().size());
    }

    @Test
    void aSensorThatKeepsFailingIsReportedGoneAndReprobedUntilItAnswers() {
        FlakySource src = new FlakySource();
        SourceRunner r = new SourceRunner(src, new RingBuffer(16, 1), new SourceStats(), 0, FAST);
        workUntil(r, () -> r.stats().get(Counter.SAMPLES) == 1);
        src.failing = true;
        src.absent = true;
        workUntil(r, r::gone);
        assertEquals(FAST.retries() + 1, r.stats().get(Counter.READ_ERRORS)); // retries exhausted
        assertEquals(1, r.stats().get(Counter.DISCONNECTS));
        workUntil(r, () -> r.stats().get(Counter.REPROBES) >= 3);
        assertTrue(r.gone());
        src.absent = false;
        src.failing = false;
        workUntil(r, () -> r.stats().get(Counter.SAMPLES) == 2);
        assertFalse(r.gone());
        assertEquals(1, r.stats().get(Counter.DISCONNECTS)); // one burst, one report
    }

    @Test
    void aSensorAbsentAtStartIsReprobed() {
        FlakySource src = new FlakySource();
        src.absent = true;
        SourceRunner r = new SourceRunner(src, new RingBuffer(16, 1), new SourceStats(), 0, FAST);
        workUntil(r, () -> src.opens >= 3);
        assertEquals(1, r.stats().get(Counter.DISCONNECTS));
        src.absent = false;
        workUntil(r, () -> r.stats().get(Counter.SAMPLES) == 1);
    }

    @Test
    void aFullRingCountsOverrunsAndNeverBlocksTheSource() {
        FlakySource src = new FlakySource();
        SourceRunner r = new SourceRunner(src, new RingBuffer(8, 1), new SourceStats(), 0, FAST);
        workUntil(r, () -> r.stats().get(Counter.SAMPLES) == 20);
        assertEquals(12, r.stats().get(Counter.OVERRUNS));
        assertEquals(12, r.ring().overruns());
    }

    @Test
    void theThreadPublishesSamplesUntilClosed() throws Exception {
        SimulatedSensor sim = new SimulatedSensor(2, 7, 0, 0.1, 0);
        RingBuffer ring = new RingBuffer(1024, 2);
        SourceRunner r = new SourceRunner(sim, ring, new SourceStats(), 0, FAST);
        r.start();
        float[] s = new float[2];
        int got = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got < 500 && System.nanoTime() < deadline) {
            if (ring.poll(s, 0) != Source.NO_SAMPLE) got++;
            else Thread.onSpinWait();
        }
        r.close();
        assertEquals(500, got);
        assertFalse(r.running());
    }
}
