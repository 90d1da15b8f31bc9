package org.edgetrain.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.edgetrain.ingest.IngestPipeline.Settings;
import org.edgetrain.ingest.IngestPipeline.Standardize;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.ingest.files.StdinSource;
import org.edgetrain.ingest.preprocess.MissingValues;
import org.edgetrain.ingest.sim.SimulatedSensor;
import org.edgetrain.util.AllocationCounter;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
    /** A source counting 0, 1, 2, ... on every channel (channel c adds 100·c), optionally with a label channel last. */
    static final class Counting implements Source {
        final int channels;
        long n;

        Counting(int channels) {
            this.channels = channels;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int channels() {
            return channels;
        }

        @Override
        public String[] channelNames() {
            return new String[channels];
        }

        @Override
        public long read(float[] v, int off) {
            for (int c = 0; c < channels; c++) v[off + c] = n + 100 * c;
            return n++;
        }
    }

    private static Settings plain(Labeling l, int window, int stride) {
        return Settings.defaults(l).withStandardize(Standardize.OFF, 0).withWindow(window, stride);
    }

    @Test
    void reconstructionRowsAreTheWindowTwice() {
        IngestPipeline p = new IngestPipeline(new Counting(2), plain(Labeling.reconstruct(), 3, 3), new SourceStats());
        p.pump(7);
        float[] x = new float[4 * 6];
        float[] y = new float[4 * 6];
        assertEquals(2, p.nextBatch(x, y, 4));
        assertArrayEquals(new float[] {0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105}, java.util.Arrays.copyOf(x, 12));
        assertArrayEquals(java.util.Arrays.copyOf(x, 12), java.util.Arrays.copyOf(y, 12));
        assertEquals(0, p.nextBatch(x, y, 4)); // sample 6 alone is no window yet
        assertEquals(2, p.stats().get(Counter.WINDOWS));
    }

    @Test
    void noWindowSpansSamplesLostToAnOverrun() {
        IngestPipeline p = new IngestPipeline(new Counting(1), plain(Labeling.reconstruct(), 3, 1).withRing(4), new SourceStats());
        float[] x = new float[10 * 3];
        float[] y = new float[10 * 3];
        p.pump(6); // samples 0-3 fit, 4 and 5 are dropped
        assertEquals(2, p.stats().get(Counter.OVERRUNS));
        assertEquals(2, p.nextBatch(x, y, 10)); // 0-2, 1-3
        p.pump(3); // 6, 7, 8
        assertEquals(1, p.nextBatch(x, y, 10)); // 6-8 only: not 2-3-6 or 3-6-7
        assertArrayEquals(new float[] {6, 7, 8}, java.util.Arrays.copyOf(x, 3));
    }

    @Test
    void forecastTargetsTheSampleAfterTheWindow() {
        IngestPipeline p = new IngestPipeline(new Counting(1), plain(Labeling.forecast(), 3, 1), new SourceStats());
        assertEquals(1, p.targetWidth());
        p.pump(6);
        float[] x = new float[10 * 3];
        float[] y = new float[10];
        assertEquals(3, p.nextBatch(x, y, 10)); // windows 0-2 → 3, 1-3 → 4, 2-4 → 5
        assertArrayEquals(new float[] {0, 1, 2, 1, 2, 3, 2, 3, 4}, java.util.Arrays.copyOf(x, 9));
        assertArrayEquals(new float[] {3, 4, 5}, java.util.Arrays.copyOf(y, 3));
    }

    @Test
    void aLabelColumnIsTheTargetAtTheWindowsLastSampleAndNotAnInput() {
        byte[] csv = "a,b,label\n1,10,0\n2,20,0\n3,30,1\n4,40,\n5,50,1\n6,60,0\n".getBytes(StandardCharsets.UTF_8);
        SourceStats stats = new SourceStats();
        Source src = new StdinSource(new ByteArrayInputStream(csv), List.of("a", "b", "label"), stats);
        IngestPipeline p = new IngestPipeline(src, plain(Labeling.column(2), 2, 1), stats);
        assertEquals(4, p.inputWidth());
        assertEquals(1, p.targetWidth());
        p.pump(20);
        float[] x = new float[8 * 4];
        float[] y = new float[8];
        int rows = p.nextBatch(x, y, 8);
        assertEquals(3, rows); // the unlabeled line 5 is dropped, and no window spans it: (1,2) (2,3) (5,6)
        assertArrayEquals(new float[] {1, 10, 2, 20}, java.util.Arrays.copyOf(x, 4));
        assertArrayEquals(new float[] {5, 50, 6, 60}, java.util.Arrays.copyOfRange(x, 8, 12));
        assertArrayEquals(new float[] {0, 1, 0}, java.util.Arrays.copyOf(y, 3));
        assertEquals(1, stats.get(Counter.DROPPED_SAMPLES));
        assertTrue(p.finished());
    }

    @Test
    void nanAndInfinitiesInFiniteRowsOut() throws Exception {
        Source junk = new Source() {
            long n;

            @Override
            public String name() {
                return "junk";
            }

            @Override
            public int channels() {
                return 2;
            }

            @Override
            public String[] channelNames() {
                return new String[] {"a", "b"};
            }

            @Override
            public long read(float[] v, int off) {
                // bursts of 8 junk samples (each with exactly one NaN or infinity, and 1e30 outliers), then 12 clean ones:
                // DROP must drop every burst sample and still window the clean runs
                float[] kinds = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -3f, (float) n};
                boolean burst = n % 20 < 8;
                v[off] = burst ? kinds[(int) (n % kinds.length)] : (float) Math.sin(n);
                v[off + 1] = burst ? kinds[(int) ((n * 7 + 3) % kinds.length)] : (float) Math.cos(n);
                return n++;
            }
        };
        for (MissingValues.Policy m : new MissingValues.Policy[] {MissingValues.Policy.HOLD, MissingValues.Policy.MEAN, MissingValues.Policy.DROP}) {
            for (Standardize st : Standardize.values()) {
                Settings s = Settings.defaults(Labeling.reconstruct()).withMissing(m).withStandardize(st, 10).withOutlierK(4).withWindow(4, 1);
                long start = junkSamples(junk) + 1; // the probe itself takes one sample
                IngestPipeline p = new IngestPipeline(junk, s, new SourceStats());
                p.pump(500);
                long read = junkSamples(junk) - start;
                float[] x = new float[600 * 8];
                float[] y = new float[600 * 8];
                int rows = p.nextBatch(x, y, 600);
                assertTrue(rows > 0, m + " " + st);
                for (int i = 0; i < rows * 8; i++) assertTrue(Float.isFinite(x[i]), m + " " + st + ": " + x[i]);
                assertTrue(p.stats().get(Counter.MISSING_VALUES) > 0);
                if (m == MissingValues.Policy.DROP) {
                    // each burst sample has one non-finite value: 8 of every 20 samples read are dropped, no clean one
                    long junkRead = 0;
                    for (long k = start; k < start + read; k++) if (k % 20 < 8) junkRead++;
                    assertEquals(junkRead, p.stats().get(Counter.DROPPED_SAMPLES), m + " " + st);
                    // windows of 4 never span a drop: at most 9 from each run of 12 clean samples
                    assertTrue(rows <= 9 * (read / 20 + 1), m + " " + st + ": " + rows + " rows from " + read + " samples");
                }
            }
        }
    }

    /** How many samples the junk source has produced (its next sequence number). */
    private static long junkSamples(Source junk) throws Exception {
        float[] probe = new float[2];
        return junk.read(probe, 0); // the source is a counter: reading reports and advances it by one
    }

    @Test
    void warmUpRowsAreHeldBackUntilTheStandardizerHasItsStatistics() {
        Settings s = Settings.defaults(Labeling.reconstruct()).withStandardize(Standardize.FROZEN, 50).withWindow(10, 10);
        IngestPipeline p = new IngestPipeline(new SimulatedSensor(2, 1, 0, 0.05, 100), s, new SourceStats());
        p.pump(59);
        float[] x = new float[100 * 20];
        float[] y = new float[100 * 20];
        assertEquals(0, p.nextBatch(x, y, 100));
        p.pump(1);
        assertEquals(1, p.nextBatch(x, y, 100)); // samples 50-59
        assertTrue(p.standardizer().frozen());
    }

    @Test
    void theThreadedPipelineDeliversRowsWithinATimeout() {
        Settings s = Settings.defaults(Labeling.reconstruct()).withWindow(8, 8).withRate(2000);
        try (IngestPipeline p = new IngestPipeline(new SimulatedSensor(3, 2, 0, 0.05, 2000), s, new SourceStats())) {
            p.start();
            float[] x = new float[4 * 24];
            float[] y = new float[4 * 24];
            int total = 0;
            for (int i = 0; i < 1000 && total < 20; i++) total += p.nextBatch(x, y, 4, 50_000_000L);
            assertTrue(total >= 20, "rows " + total + ", stats " + p.stats());
        }
    }

    /**
     * Zero allocation per sample in the steady state: the source read (simulated sensor), the ring, every
     * preprocessing step and the windowing, counted by the thread's allocated bytes over windows of 10,000 samples
     * (as ZeroAllocationTest does for training steps: the JIT may allocate a few bytes while it still compiles, so the
     * test looks for a window of exactly 0 bytes among the first 20; one object per sample would be 160,000 bytes).
     */
    @Test
    void theSteadyStateAllocatesZeroBytesPerSample() {
        assumeTrue(AllocationCounter.supported(), "this JVM cannot count allocated bytes per thread");
        for (Labeling l : new Labeling[] {Labeling.reconstruct(), Labeling.forecast()}) {
            Settings s = Settings.defaults(l).withOutlierK(5).withStandardize(Standardize.RUNNING, 100).withWindow(16, 4);
            IngestPipeline p = new IngestPipeline(new SimulatedSensor(3, 4, 0.01, 0.05, 100), s, new SourceStats());
            float[] x = new float[8 * p.inputWidth()];
            float[] y = new float[8 * p.targetWidth()];
            for (int i = 0; i < 200_000; i++) step(p, x, y); // warm-up: let the JIT compile the path
            long min = Long.MAX_VALUE;
            StringBuilder windows = new StringBuilder();
            for (int w = 0; w < 20 && min > 0; w++) {
                long before = AllocationCounter.currentThread();
                for (int i = 0; i < 10_000; i++) step(p, x, y);
                long bytes = AllocationCounter.currentThread() - before;
                windows.append(bytes).append(' ');
                min = Math.min(min, bytes);
            }
            assertEquals(0L, min, l + ": bytes per window of 10,000 samples: " + windows);
            assertTrue(p.stats().get(Counter.MISSING_VALUES) > 0); // dropouts went through the missing-value path
        }
    }

    /**
     * The same on the source's own thread, running as fast as it can while this thread drains the ring: the
     * thread's allocated bytes are read through its id, over windows of 20,000 samples once the JIT settled.
     */
    @Test
    void theSourceThreadAllocatesZeroBytesPerSample() throws Exception {
        assumeTrue(AllocationCounter.supported(), "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Settings s = Settings.defaults(Labeling.reconstruct()).withWindow(16, 16);
        try (IngestPipeline p = new IngestPipeline(new SimulatedSensor(3, 4, 0.01, 0.05, 100), s, new SourceStats())) {
            p.start();
            long id = -1;
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("ingest sim")) id = t.getId();
            assertTrue(id >= 0, "the source thread is running");
            float[] x = new float[64 * p.inputWidth()];
            float[] y = new float[64 * p.targetWidth()];
            drain(p, x, y, 300_000); // warm-up
            long min = Long.MAX_VALUE;
            StringBuilder windows = new StringBuilder();
            for (int w = 0; w < 20 && min > 0; w++) {
                long before = bean.getThreadAllocatedBytes(id);
                drain(p, x, y, 20_000);
                long bytes = bean.getThreadAllocatedBytes(id) - before;
                windows.append(bytes).append(' ');
                min = Math.min(min, bytes);
            }
            assertEquals(0L, min, "source thread bytes per window of 20,000 samples: " + windows);
        }
    }

    /** Takes rows until the source published {@code samples} more samples. */
    private static void drain(IngestPipeline p, float[] x, float[] y, long samples) {
        long until = p.stats().get(Counter.SAMPLES) + samples;
        while (p.stats().get(Counter.SAMPLES) < until) p.nextBatch(x, y, 64, 10_000_000L);
    }

    /** A CSV file read and parsed line by line allocates nothing per line either. */
    @Test
    void csvLinesAreParsedWithoutAllocating(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        assumeTrue(AllocationCounter.supported(), "this JVM cannot count allocated bytes per thread");
        java.nio.file.Path f = tmp.resolve("big.csv");
        StringBuilder sb = new StringBuilder("t,a,b,c\n");
        for (int i = 0; i < 400_000; i++) sb.append(i).append(',').append(i % 17 * 0.25).append(",-").append(i % 5).append(".5e-1,").append(i % 3 == 0 ? "" : "7").append('\n');
        java.nio.file.Files.writeString(f, sb);
        SourceStats stats = new SourceStats();
        IngestPipeline p = new IngestPipeline(new org.edgetrain.ingest.files.CsvSource(f, List.of("a", "b", "c"), false, stats),
                Settings.defaults(Labeling.forecast()).withWindow(8, 1), stats);
        float[] x = new float[8 * p.inputWidth()];
        float[] y = new float[8 * p.targetWidth()];
        for (int i = 0; i < 100_000; i++) step(p, x, y);
        long min = Long.MAX_VALUE;
        StringBuilder windows = new StringBuilder();
        for (int w = 0; w < 20 && min > 0; w++) {
            long before = AllocationCounter.currentThread();
            for (int i = 0; i < 10_000; i++) step(p, x, y);
            long bytes = AllocationCounter.currentThread() - before;
            windows.append(bytes).append(' ');
            min = Math.min(min, bytes);
        }
        assertEquals(0L, min, "bytes per window of 10,000 lines: " + windows);
        assertEquals(0, stats.get(Counter.MALFORMED_LINES));
    }

    private static void step(IngestPipeline p, float[] x, float[] y) {
        p.pump(1);
        p.nextBatch(x, y, 8);
    }
}
