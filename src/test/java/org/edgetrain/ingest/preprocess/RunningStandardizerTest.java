package org.edgetrain.ingest.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunningStandardizerTest {
    @Test
    void welfordMatchesTheTwoPassMeanAndVariance() {
        RunningMoments m = new RunningMoments(1);
        double[] xs = {1e8 + 4, 1e8 + 7, 1e8 + 13, 1e8 + 16}; // a large offset: the naive sum of squares loses it
        for (double x : xs) m.add(new float[] {(float) x}, 0);
        double mean = 0;
        for (double x : xs) mean += (float) x;
        mean /= xs.length;
        double var = 0;
        for (double x : xs) var += ((float) x - mean) * ((float) x - mean);
        var /= xs.length;
        assertEquals(mean, m.mean(0), 1e-6);
        assertEquals(var, m.variance(0), 1e-6);
    }

    @Test
    void runningModeStandardizesWithTheStatisticsIncludingTheCurrentSample() {
        RunningStandardizer st = new RunningStandardizer(1, false, 0);
        float[] s = {2f};
        st.apply(s, 0);
        assertEquals(0f, s[0]); // one sample: its own mean, std 0 -> divided by 1
        s[0] = 4f;
        st.apply(s, 0);
        assertEquals(1f, s[0], 1e-6f); // mean 3, population std 1
        s[0] = 3f;
        st.apply(s, 0);
        assertEquals(0f, s[0], 1e-6f);
    }

    @Test
    void frozenModeStopsUpdatingAfterTheWarmUp() {
        RunningStandardizer st = new RunningStandardizer(1, true, 4);
        for (float v : new float[] {1, 3, 1, 3}) {
            assertFalse(st.ready());
            st.apply(new float[] {v}, 0);
        }
        assertTrue(st.ready());
        assertTrue(st.frozen());
        float[] s = {102f};
        st.apply(s, 0);
        assertEquals(100f, s[0], 1e-5f); // (102 - 2) / 1, and the 102 did not enter the statistics
        assertEquals(2.0, st.mean(0), 1e-12);
        assertEquals(4, st.count());
    }

    @Test
    void aConstantChannelStaysFiniteAndNonFiniteInputComesOutZero() {
        RunningStandardizer st = new RunningStandardizer(2, false, 0);
        float[] s = new float[2];
        for (int i = 0; i < 10; i++) {
            s[0] = 5f;
            s[1] = i;
            st.apply(s, 0);
            assertEquals(0f, s[0]);
        }
        RunningStandardizer frozen = new RunningStandardizer(1, true, 1);
        frozen.apply(new float[] {1f}, 0);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] b = {bad};
            frozen.apply(b, 0);
            assertEquals(0f, b[0]);
        }
    }
}
