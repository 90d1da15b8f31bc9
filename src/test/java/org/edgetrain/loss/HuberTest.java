package org.edgetrain.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HuberTest {

    /** d = z − t = [0.5, −3, 2, −0.25]. */
    static LossCheck differences() {
        return new LossCheck(new float[] {1.5f, -1f, 2f, 0.75f}, new float[] {1f, 2f, 0f, 1f}, 2, 2);
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        Huber huber = new Huber(1f);
        LossCheck c = differences();
        // ½·0.25 + (3 − ½) + (2 − ½) + ½·0.0625 = 4.15625, over 4
        assertEquals(1.0390625f, c.forwardBackward(huber));
        // d inside, δ·sign(d) outside, over 4
        assertArrayEquals(new float[] {0.125f, -0.25f, 0.25f, -0.0625f}, c.gradient());
        assertEquals(1.0390625f, huber.value(c.a, c.z, c.t, 2, 2));
    }

    @Test
    void huberWithLargerDeltaKeepsMoreDifferencesQuadratic() {
        Huber huber = new Huber(2.5f);
        LossCheck c = differences();
        // ½·0.25 + 2.5·(3 − 1.25) + ½·4 + ½·0.0625 = 6.53125, over 4
        assertEquals(1.6328125f, c.forwardBackward(huber));
        assertArrayEquals(new float[] {0.125f, -0.625f, 0.5f, -0.0625f}, c.gradient());
    }

    @Test
    void huberGradientMatchesFiniteDifferencesOnBothSidesOfDelta() {
        Random r = new Random(72);
        float delta = 0.8f;
        Huber huber = new Huber(delta);
        int b = 5, n = 7;
        float[] z = new float[b * n], t = new float[b * n];
        int inside = 0;
        for (int i = 0; i < z.length; i++) {
            float d;
            do {
                d = (float) ((2 * r.nextDouble() - 1) * 3 * delta);
            } while (Math.abs(Math.abs(d) - delta) < 1e-3); // not on the kink
            t[i] = (float) r.nextGaussian();
            z[i] = t[i] + d;
            if (Math.abs(z[i] - t[i]) <= delta) inside++;
        }
        LossCheck c = new LossCheck(z, t, b, n);
        float l = c.forwardBackward(huber);
        double[] td = c.targetsAsDouble();
        c.assertGradientMatches("huber", x -> {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
                double ad = Math.abs(x[i] - td[i]);
                s += ad < delta ? 0.5 * ad * ad : delta * (ad - 0.5 * delta);
            }
            return s / x.length;
        }, 1e-4);
        assertEquals(l, huber.value(c.a, c.z, c.t, b, n), 1e-6 * l, "value and forwardBackward disagree");
        org.junit.jupiter.api.Assertions.assertTrue(inside > 3 && inside < z.length - 3, "both sides exercised: " + inside);
    }

    @Test
    void huberRejectsANonPositiveDelta() {
        assertThrows(IllegalArgumentException.class, () -> new Huber(0f));
        assertThrows(IllegalArgumentException.class, () -> new Huber(Float.NaN));
    }
}
