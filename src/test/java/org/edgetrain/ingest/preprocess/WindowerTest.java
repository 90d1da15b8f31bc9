package org.edgetrain.ingest.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowerTest {
    private static List<float[]> windows(Windower w, int samples) {
        List<float[]> out = new ArrayList<>();
        float[] s = new float[w.channels()];
        for (int i = 0; i < samples; i++) {
            for (int c = 0; c < s.length; c++) s[c] = i * 10 + c;
            if (w.push(s, 0)) {
                float[] win = new float[w.width()];
                w.copyWindow(win, 0);
                out.add(win);
            }
        }
        return out;
    }

    @Test
    void firstWindowWhenFullThenOneEveryStrideFlattenedOldestFirst() {
        List<float[]> ws = windows(new Windower(3, 2, 2), 9);
        // windows end at samples 2, 4, 6, 8
        assertEquals(4, ws.size());
        assertArrayEquals(new float[] {0, 1, 10, 11, 20, 21}, ws.get(0));
        assertArrayEquals(new float[] {20, 21, 30, 31, 40, 41}, ws.get(1));
        assertArrayEquals(new float[] {60, 61, 70, 71, 80, 81}, ws.get(3));
    }

    @Test
    void strideOneGivesAWindowPerSampleAcrossTheWrapAround() {
        List<float[]> ws = windows(new Windower(4, 1, 1), 10);
        assertEquals(7, ws.size());
        assertArrayEquals(new float[] {60, 70, 80, 90}, ws.get(6));
    }

    @Test
    void strideLongerThanTheWindowSkipsSamples() {
        List<float[]> ws = windows(new Windower(2, 5, 1), 13);
        assertEquals(3, ws.size()); // ending at 1, 6, 11
        assertArrayEquals(new float[] {50, 60}, ws.get(1));
    }

    @Test
    void copySamplesSplitsAWindowForForecasting() {
        Windower w = new Windower(3, 1, 1);
        for (int i = 0; i < 5; i++) w.push(new float[] {i}, 0);
        float[] x = new float[2];
        float[] y = new float[1];
        w.copySamples(0, 2, x, 0);
        w.copySamples(2, 1, y, 0);
        assertArrayEquals(new float[] {2, 3}, x);
        assertArrayEquals(new float[] {4}, y);
    }

    @Test
    void resetStartsAFreshWindow() {
        Windower w = new Windower(2, 1, 1);
        w.push(new float[] {1}, 0);
        w.reset();
        assertEquals(false, w.push(new float[] {2}, 0));
        assertEquals(true, w.push(new float[] {3}, 0));
    }
}
