package org.edgetrain.ingest.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutlierClipTest {
    @Test
    void clipsBeyondKStandardDeviationsOfTheValuesSeenSoFar() {
        OutlierClip clip = new OutlierClip(3f, 1);
        // alternating ±1: mean 0, population std 1
        for (int i = 0; i < 32; i++) clip.apply(new float[] {i % 2 == 0 ? 1f : -1f}, 0);
        assertEquals(0, clip.clipped());
        float[] s = {100f};
        clip.apply(s, 0);
        assertEquals(3f, s[0], 1e-6f); // mean + 3 std
        s[0] = -50f;
        clip.apply(s, 0);
        assertTrue(s[0] < -2.5f && s[0] > -3.5f, "clipped to about -3: " + s[0]);
        s[0] = 0.5f;
        clip.apply(s, 0);
        assertEquals(0.5f, s[0]); // inside the band: untouched
        assertEquals(2, clip.clipped());
    }

    @Test
    void theFirstSamplesPassWhileTheStatisticsForm() {
        OutlierClip clip = new OutlierClip(2f, 1);
        float[] s = {1e6f};
        clip.apply(s, 0);
        assertEquals(1e6f, s[0]);
        assertEquals(0, clip.clipped());
    }

    @Test
    void hugeFiniteValuesComeOutFinite() {
        OutlierClip clip = new OutlierClip(4f, 2);
        float[] s = new float[2];
        for (int i = 0; i < 200; i++) {
            s[0] = i % 7 == 0 ? Float.MAX_VALUE : i % 5;
            s[1] = i % 11 == 0 ? -Float.MAX_VALUE : 0f;
            clip.apply(s, 0);
            assertTrue(Float.isFinite(s[0]) && Float.isFinite(s[1]), i + ": " + s[0] + ", " + s[1]);
        }
    }
}
