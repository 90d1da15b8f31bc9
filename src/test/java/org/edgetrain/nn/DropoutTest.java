package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class DropoutTest {
    static final int WIDTH = 50;
    static final int BATCH = 64;

    static GradientHarness dropoutOnly(float rate, long seed) {
        GradientHarness h = new GradientHarness(NetworkSpec.builder(WIDTH).dropout(rate).build(), BATCH, LossKind.MSE, seed);
        Random r = new Random(99);
        float[] x = new float[BATCH * WIDTH];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((0.5 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1));
        System.arraycopy(x, 0, h.a, h.net.inputOffset(), x.length);
        h.x = x;
        return h;
    }

    @Test
    void dropoutZeroesAboutRateOfValuesAndScalesTheRestByOneOverKeepProbability() {
        float rate = 0.3f;
        GradientHarness h = dropoutOnly(rate, 21L);
        h.net.forward(BATCH, true);
        int n = BATCH * WIDTH, zeros = 0;
        for (int i = 0; i < n; i++) {
            float y = h.a[h.net.outputOffset() + i];
            if (y == 0f) {
                zeros++;
            } else {
                assertEquals(h.x[i] / (1.0 - rate), y, 1e-6 * Math.abs(y), "kept value " + i + " not scaled by 1/(1−rate)");
            }
        }
        double sigma = Math.sqrt(rate * (1 - rate) / n);
        assertEquals(rate, zeros / (double) n, 4 * sigma, "fraction dropped out of " + n);
    }

    @Test
    void dropoutIsTheIdentityInEvaluation() {
        GradientHarness h = dropoutOnly(0.5f, 22L);
        h.net.forward(BATCH, false);
        assertArrayEquals(h.x, DenseTest.slice(h.a, h.net.outputOffset(), BATCH * WIDTH));
    }

    @Test
    void dropoutOfRateZeroIsTheIdentityInTraining() {
        GradientHarness h = dropoutOnly(0f, 23L);
        h.net.forward(BATCH, true);
        assertArrayEquals(h.x, DenseTest.slice(h.a, h.net.outputOffset(), BATCH * WIDTH));
    }

    @Test
    void dropoutMasksAreFixedByTheSeedAndDifferFromStepToStep() {
        float[][] first = masksOfTwoSteps(5L);
        float[][] again = masksOfTwoSteps(5L);
        float[][] other = masksOfTwoSteps(6L);
        assertArrayEquals(first[0], again[0]);
        assertArrayEquals(first[1], again[1]);
        assertFalse(Arrays.equals(first[0], first[1]), "second step reused the first step's mask");
        assertFalse(Arrays.equals(first[0], other[0]), "seeds 5 and 6 gave the same mask");
    }

    private static float[][] masksOfTwoSteps(long seed) {
        GradientHarness h = dropoutOnly(0.5f, seed);
        float[][] out = new float[2][];
        for (int k = 0; k < 2; k++) {
            h.net.forward(BATCH, true);
            out[k] = DenseTest.slice(h.a, h.net.outputOffset(), BATCH * WIDTH);
        }
        return out;
    }

    @Test
    void dropoutGradientFlowsOnlyThroughKeptUnitsAndMatchesFiniteDifferences() {
        float rate = 0.4f;
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).dropout(rate).dense(3).build();
        GradientHarness h = new GradientHarness(spec, 5, LossKind.MSE, 24L).randomize(24, 1.0);
        h.run(true);
        Layer drop = h.net.layers().get(1);
        Layer next = h.net.layers().get(2);
        double[] mask = new double[5 * 7];
        int dropped = 0;
        for (int i = 0; i < mask.length; i++) {
            boolean kept = h.a[drop.outputOffset() + i] != 0f;
            mask[i] = kept ? 1.0 / (1.0 - rate) : 0.0;
            if (!kept) {
                dropped++;
                assertTrue(h.a[drop.dx + i] == 0f, "gradient leaked through dropped unit " + i);
            } else {
                assertEquals(h.a[next.dx + i] / (1.0 - rate), h.a[drop.dx + i], 1e-6 * Math.abs(h.a[drop.dx + i]));
            }
        }
        assertTrue(dropped > 0 && dropped < mask.length, "mask should drop some but not all of 35 units: " + dropped);
        ReferenceNet ref = h.reference();
        ref.dropoutMasks.put("1", mask);
        h.assertAll(ref, true, 1);
    }
}
