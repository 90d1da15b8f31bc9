package org.edgetrain.ingest.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.ingest.preprocess.MissingValues.Policy;
import org.junit.jupiter.api.Test;

class MissingValuesTest {
    static final float NAN = Float.NaN;
    static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void holdRepeatsTheLastFiniteValueOfEachChannelAndCountsNanAndInfinities() {
        MissingValues m = new MissingValues(Policy.HOLD, 2);
        float[] s = {NAN, 5f};
        assertTrue(m.apply(s, 0));
        assertArrayEquals(new float[] {0f, 5f}, s); // nothing seen yet on channel 0: 0
        s = new float[] {2f, INF};
        m.apply(s, 0);
        assertArrayEquals(new float[] {2f, 5f}, s);
        s = new float[] {-INF, NAN};
        m.apply(s, 0);
        assertArrayEquals(new float[] {2f, 5f}, s);
        assertEquals(4, m.missing());
        assertEquals(0, m.dropped());
    }

    @Test
    void meanFillsWithTheRunningMeanOfTheFiniteValues() {
        MissingValues m = new MissingValues(Policy.MEAN, 1);
        for (float v : new float[] {1f, 2f, 6f}) m.apply(new float[] {v}, 0);
        float[] s = {NAN};
        m.apply(s, 0);
        assertEquals(3f, s[0]); // (1 + 2 + 6) / 3
        s[0] = Float.NEGATIVE_INFINITY;
        m.apply(s, 0);
        assertEquals(3f, s[0]); // filled values do not enter the mean
        assertEquals(2, m.missing());
    }

    @Test
    void dropRejectsTheWholeSampleAndCountsIt() {
        MissingValues m = new MissingValues(Policy.DROP, 3);
        assertTrue(m.apply(new float[] {1, 2, 3}, 0));
        assertFalse(m.apply(new float[] {1, NAN, INF}, 0));
        assertEquals(2, m.missing());
        assertEquals(1, m.dropped());
    }

    @Test
    void everyPolicyTurnsNonFiniteInputIntoFiniteOutput() {
        for (Policy p : new Policy[] {Policy.HOLD, Policy.MEAN}) {
            MissingValues m = new MissingValues(p, 3);
            float[] s = new float[3];
            float[] junk = {NAN, INF, -INF, 1e30f, -7f};
            for (int i = 0; i < 100; i++) {
                for (int c = 0; c < 3; c++) s[c] = junk[(i + c) % junk.length];
                m.apply(s, 0);
                for (float v : s) assertTrue(Float.isFinite(v), p + " gave " + v);
            }
        }
    }

    @Test
    void parsesItsConfigWords() {
        assertEquals(Policy.HOLD, Policy.parse("hold"));
        assertEquals(null, Policy.parse("zero"));
    }
}
