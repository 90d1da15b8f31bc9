package org.edgetrain.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    static final float BASE = 0.1f;

    static Schedule of(Schedule.Kind kind, int warmup, int stepSize, float gamma, float minLr, long total) {
        return new Schedule(kind, warmup, stepSize, gamma, minLr, total);
    }

    @Test
    void constantScheduleKeepsTheBaseRate() {
        assertEquals(BASE, Schedule.constant().lr(BASE, 0));
        assertEquals(BASE, Schedule.constant().lr(BASE, 1_000_000));
    }

    @Test
    void stepScheduleMultipliesByGammaEveryStepSizeSteps() {
        Schedule s = of(Schedule.Kind.STEP, 0, 3, 0.5f, 0f, 0);
        float[] expected = {0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f};
        for (int t = 0; t < expected.length; t++) assertEquals(expected[t], s.lr(BASE, t), 1e-8f, "step " + t);
    }

    @Test
    void exponentialScheduleMultipliesByGammaEveryStep() {
        Schedule s = of(Schedule.Kind.EXPONENTIAL, 0, 1, 0.9f, 0f, 0);
        assertEquals(0.1f, s.lr(BASE, 0), 1e-8f);
        assertEquals(0.081f, s.lr(BASE, 2), 1e-8f);
        assertEquals(0.1 * Math.pow(0.9, 10), s.lr(BASE, 10), 1e-8);
    }

    @Test
    void cosineScheduleFallsFromBaseToMinLrAndStaysThere() {
        Schedule s = of(Schedule.Kind.COSINE, 0, 1, 1f, 0.01f, 10);
        assertEquals(0.1f, s.lr(BASE, 0), 1e-8f);
        assertEquals(0.0914057647f, s.lr(BASE, 2), 1e-8f); // 0.01 + 0.09·(1 + cos 0.2π)/2
        assertEquals(0.055f, s.lr(BASE, 5), 1e-8f);
        assertEquals(0.01f, s.lr(BASE, 10), 1e-8f);
        assertEquals(0.01f, s.lr(BASE, 25), 1e-8f);
    }

    @Test
    void warmupRisesLinearlyThenHandsOverToTheScheduleCountedFromItsEnd() {
        Schedule constant = of(Schedule.Kind.CONSTANT, 4, 1, 1f, 0f, 0);
        float[] expected = {0.025f, 0.05f, 0.075f, 0.1f, 0.1f, 0.1f};
        for (int t = 0; t < expected.length; t++) assertEquals(expected[t], constant.lr(BASE, t), 1e-8f, "step " + t);
        Schedule cosine = of(Schedule.Kind.COSINE, 4, 1, 1f, 0.01f, 14); // horizon 14 − 4 = 10 after warm-up
        assertEquals(0.1f, cosine.lr(BASE, 4), 1e-8f);
        assertEquals(0.055f, cosine.lr(BASE, 9), 1e-8f);
        assertEquals(0.01f, cosine.lr(BASE, 14), 1e-8f);
        Schedule step = of(Schedule.Kind.STEP, 2, 3, 0.5f, 0f, 0);
        assertEquals(0.05f, step.lr(BASE, 0), 1e-8f);
        assertEquals(0.1f, step.lr(BASE, 4), 1e-8f); // t = 2 after warm-up
        assertEquals(0.05f, step.lr(BASE, 5), 1e-8f); // t = 3
    }

    @Test
    void withTotalStepsSetsTheCosineHorizon() {
        Schedule s = of(Schedule.Kind.COSINE, 0, 1, 1f, 0f, 0).withTotalSteps(100);
        assertEquals(100, s.totalSteps());
        assertEquals(0.05f, s.lr(BASE, 50), 1e-8f);
    }
}
