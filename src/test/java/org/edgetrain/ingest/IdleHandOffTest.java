package org.edgetrain.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.config.SourceConfig;
import org.edgetrain.connect.Sources;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.5: waiting for the next window, the trainer once polled the ring every 200 µs (5,000 wake-ups a second,
 * 11-17 % of a core at 100 Hz). Now it sleeps until the source thread hands over a sample: it wakes about once per
 * sample. An exact count, not a timing: wake-ups against the samples that arrived.
 */
class IdleHandOffTest {
    @Test
    void theWaitingTrainerWakesOncePerSampleNotPerPoll() {
        SourceConfig cfg = SourceConfig.parse("idle.conf", """
                [source]
                type = sim
                rate_hz = 50
                channels = 3
                [preprocess]
                standardize = off
                warmup = 0
                window = 16
                stride = 16
                [label]
                mode = reconstruct
                """);
        try (IngestPipeline p = Sources.pipeline(cfg)) {
            p.start();
            float[] x = new float[p.inputWidth()], y = new float[p.targetWidth()];
            int rows = 0, calls = 0;
            long t0 = System.nanoTime();
            while (rows < 3 && System.nanoTime() - t0 < 20_000_000_000L) {
                rows += p.nextBatch(x, y, 1, 50_000_000L);
                calls++;
            }
            long samples = p.stats().get(SourceStats.Counter.SAMPLES);
            assertTrue(rows >= 3, "windows arrived: " + rows);
            // about 48 samples for 3 windows of 16 at 50 Hz (~1 s): polling every 200 µs woke ~5,000 times
            assertTrue(p.waits() <= samples + 2L * calls, "wake-ups " + p.waits() + " for " + samples + " samples in " + calls + " calls");
        }
    }
}
