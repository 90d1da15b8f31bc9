package org.edgetrain.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DownsampledSeriesTest {
    @Test
    void bucketsStayAlignedToMultiplesOfTheStrideAsTheHistoryHalves() {
        DownsampledSeries s = new DownsampledSeries(8, DownsampledSeries.Summary.MEAN);
        for (long step = 1; step <= 100; step++) s.add(step, step);
        long[] x = new long[s.maxPoints()];
        double[] y = new double[s.maxPoints()];
        int n = s.copy(x, y);
        long stride = s.stride();
        assertEquals(16, stride, "100 points in 8 buckets");
        for (int i = 0; i < n - 1; i++) {
            assertEquals(0, x[i] % stride, "bucket " + i + " ends at a multiple of the stride: " + x[i]);
            assertEquals(x[i] - (stride - 1) / 2.0, y[i], 1e-9, "mean of the steps in bucket " + i);
        }
        assertEquals(100, x[n - 1], "the bucket being filled comes last");
        assertEquals((97 + 100) / 2.0, y[n - 1], 1e-9);
    }

    @Test
    void maxKeepsASpikeThroughEveryHalving() {
        DownsampledSeries s = new DownsampledSeries(4, DownsampledSeries.Summary.MAX);
        for (long w = 1; w <= 1000; w++) s.add(w, w == 333 ? 50 : 1);
        long[] x = new long[s.maxPoints()];
        double[] y = new double[s.maxPoints()];
        int n = s.copy(x, y);
        double max = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, y[i]);
        assertEquals(50, max);
        assertTrue(n <= 5);
    }

    @Test
    void addingAllocatesNothing() {
        org.junit.jupiter.api.Assumptions.assumeTrue(AllocationCounter.supported());
        DownsampledSeries s = new DownsampledSeries(256, DownsampledSeries.Summary.MEAN);
        for (int i = 1; i <= 100_000; i++) s.add(i, i); // warm up
        // A JIT tier change during a window can allocate a few bytes in HotSpot's runtime on this thread (seen: 80 B
        // once in 100,000 adds), so the least of five windows is compared: an add that allocated would show in all.
        long least = Long.MAX_VALUE;
        for (int w = 0, i = 100_001; w < 5; w++) {
            long before = AllocationCounter.currentThread();
            for (int end = i + 100_000; i < end; i++) s.add(i, 1.0 / i);
            least = Math.min(least, AllocationCounter.currentThread() - before);
        }
        assertEquals(0, least);
    }
}
