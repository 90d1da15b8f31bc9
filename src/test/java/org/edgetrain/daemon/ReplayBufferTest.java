package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {
    @Test
    void reservoirKeepsAUniformSampleOfEverythingSeen() {
        // 100 slots, 10,000 rows offered in order: each held row is equally likely to come from any stretch, so old
        // rows are not forgotten at once. Over many seeds the first tenth holds ~10 % of the buffer.
        double firstTenth = 0;
        int trials = 200;
        for (int t = 0; t < trials; t++) {
            ReplayBuffer b = new ReplayBuffer(100, 1, 1, new Rng(t));
            float[] x = new float[1], y = new float[1];
            for (int i = 0; i < 10_000; i++) {
                x[0] = i;
                b.offer(x, 0, y, 0);
            }
            assertEquals(100, b.size());
            assertEquals(10_000, b.seen());
            int old = 0;
            float[] row = new float[1];
            for (int i = 0; i < 100; i++) {
                b.xRows().get(i, row, 0);
                if (row[0] < 1000) old++;
            }
            firstTenth += old / 100.0;
        }
        firstTenth /= trials;
        assertEquals(0.10, firstTenth, 0.01, "share of the oldest tenth");
    }

    @Test
    void samplesOnlyHeldRowsAndCopiesTargetsWithThem() {
        ReplayBuffer b = new ReplayBuffer(8, 2, 1, new Rng(1));
        for (int i = 0; i < 5; i++) b.offer(new float[] {i, 10 * i}, 0, new float[] {100 * i}, 0);
        float[] bx = new float[6 * 2], by = new float[6];
        assertEquals(6, b.sample(bx, by, 6));
        for (int r = 0; r < 6; r++) {
            assertTrue(bx[2 * r] >= 0 && bx[2 * r] < 5);
            assertEquals(10 * bx[2 * r], bx[2 * r + 1]);
            assertEquals(100 * bx[2 * r], by[r]);
        }
    }
}
