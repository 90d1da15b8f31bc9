package org.edgetrain.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.edgetrain.ingest.sim.SimulatedSensor.Anomaly;
import org.junit.jupiter.api.Test;

class SimulatedSensorTest {
    private static float[] run(SimulatedSensor s, int n) {
        float[] out = new float[n * s.channels()];
        for (int i = 0; i < n; i++) s.read(out, i * s.channels());
        return out;
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndAnotherSeedDifferentOnes() {
        float[] a = run(new SimulatedSensor(3, 42, 0.02, 0.05, 100), 2000);
        float[] b = run(new SimulatedSensor(3, 42, 0.02, 0.05, 100), 2000);
        float[] c = run(new SimulatedSensor(3, 43, 0.02, 0.05, 100), 2000);
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
    }

    @Test
    void timestampsFollowTheNominalRate() {
        SimulatedSensor s = new SimulatedSensor(1, 1, 0, 0, 250);
        float[] v = new float[1];
        assertEquals(0, s.read(v, 0));
        assertEquals(4_000_000, s.read(v, 0));
        assertEquals(8_000_000, s.read(v, 0));
    }

    @Test
    void aNormalSignalIsPeriodicLikeAVibrationWithBoundedAmplitude() {
        SimulatedSensor s = new SimulatedSensor(2, 5, 0, 0.05, 100);
        float[] x = run(s, 4000);
        double sum = 0, sq = 0;
        for (int i = 0; i < 4000; i++) {
            float v = x[i * 2];
            assertTrue(Float.isFinite(v) && Math.abs(v) < 4, "sample " + i + ": " + v);
            sum += v;
            sq += v * v;
        }
        double var = sq / 4000 - (sum / 4000) * (sum / 4000);
        assertTrue(var > 0.2 && var < 3, "variance " + var); // mostly signal: amplitudes about 1, noise 0.05
    }

    @Test
    void anomaliesAreInjectedAtAboutTheConfiguredRateWithEveryKind() {
        SimulatedSensor s = new SimulatedSensor(3, 9, 0.01, 0.05, 100);
        float[] v = new float[3];
        Map<Anomaly, Integer> starts = new EnumMap<>(Anomaly.class);
        Anomaly before = Anomaly.NONE;
        int nanSamples = 0;
        for (int i = 0; i < 50_000; i++) {
            s.read(v, 0);
            Anomaly a = s.anomaly();
            if (a != Anomaly.NONE && a != before) starts.merge(a, 1, Integer::sum);
            if (a == Anomaly.DROPOUT) {
                assertTrue(Float.isNaN(v[0]) && Float.isNaN(v[2]));
                nanSamples++;
            } else {
                assertTrue(Float.isFinite(v[0]));
            }
            before = a;
        }
        int total = starts.values().stream().mapToInt(Integer::intValue).sum();
        // about rate × normal samples; events last ~14 samples on average, so ~440 of them
        assertTrue(total > 250 && total < 600, "events " + total);
        assertEquals(3, starts.size(), "kinds " + starts);
        assertTrue(nanSamples > 0);
    }

    @Test
    void noAnomaliesAtRateZero() {
        SimulatedSensor s = new SimulatedSensor(2, 3, 0, 0.05, 100);
        float[] v = new float[2];
        for (int i = 0; i < 10_000; i++) {
            s.read(v, 0);
            assertEquals(Anomaly.NONE, s.anomaly());
        }
    }
}
