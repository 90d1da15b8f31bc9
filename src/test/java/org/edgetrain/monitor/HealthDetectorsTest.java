package org.edgetrain.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.Layer;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.nn.Relu;
import org.edgetrain.nn.Sigmoid;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;

/**
 * Each health detector on crafted statistics, one at a time: the monitor is driven the way the trainer drives it
 * (observeLoss, afterForward, beforeUpdate, afterUpdate) over an arena whose activations, gradients and weights the test
 * writes, so every threshold is met (or just missed) on purpose, with no training run in between.
 */
class HealthDetectorsTest {
    static final int ROWS = 32;

    /** dense(8) relu dense(8) sigmoid dense(3): a ReLU layer, a saturating layer, and three dense weights. */
    private final Trainer trainer = new Trainer(NetworkSpec.builder(4).dense(8).relu().dense(8).sigmoid().dense(3).build(),
            TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withBatch(ROWS), new JavaKernels(), HealthSpec.defaults());
    private final HealthMonitor m = trainer.health();
    private final List<Finding> found = new ArrayList<>();
    private final float[] a = trainer.arena().data();
    private final List<Parameter> weights = new ArrayList<>();
    private Layer relu, sigmoid;
    private long step;

    /** What one crafted sample looks like. */
    private float loss = 1f, reluOut = 1f, sigmoidOut = 0.5f, firstGrad = 0.1f, lastGrad = 0.1f, weightStep = 0.01f;
    private double norm = 1;

    HealthDetectorsTest() {
        m.setListener(found::add);
        for (Parameter p : trainer.network().state()) if (p.kind() == Parameter.Kind.TRAINABLE && p.shape().length == 2) weights.add(p);
        for (Layer l : trainer.network().allLayers()) {
            if (l instanceof Relu) relu = l;
            if (l instanceof Sigmoid) sigmoid = l;
        }
        for (Parameter p : weights) Arrays.fill(a, p.offset(), p.offset() + p.size(), 0.5f);
    }

    /** One sampled step with the current crafted values. */
    private void sample() {
        m.observeLoss(loss);
        Arrays.fill(a, relu.outputOffset(), relu.outputOffset() + ROWS * relu.outputWidth(), reluOut);
        Arrays.fill(a, sigmoid.outputOffset(), sigmoid.outputOffset() + ROWS * sigmoid.outputWidth(), sigmoidOut);
        m.afterForward(ROWS);
        for (int i = 0; i < weights.size(); i++) {
            Parameter p = weights.get(i);
            float g = i == 0 ? firstGrad : i == weights.size() - 1 ? lastGrad : 0.1f;
            Arrays.fill(a, p.gradOffset(), p.gradOffset() + p.size(), g);
        }
        m.beforeUpdate();
        for (Parameter p : weights) for (int i = 0; i < p.size(); i++) a[p.offset() + i] += weightStep; // the "update"
        m.afterUpdate(step, norm);
        step += HealthSpec.defaults().every();
    }

    private void samples(int n) {
        for (int i = 0; i < n; i++) sample();
    }

    private List<Finding.Kind> kinds() {
        return found.stream().map(Finding::kind).toList();
    }

    @Test
    void healthyStatisticsFindNothing() {
        samples(64);
        assertEquals(List.of(), found);
    }

    @Test
    void aGradientNormTenTimesItsRunningAverageIsExploding() {
        samples(6);
        norm = 9; // 9× the average of 1: below the factor
        sample();
        assertEquals(List.of(), found);
        norm = 1;
        samples(3);
        norm = 11 * 1.8; // well past 10× the (slightly raised) running average
        sample();
        assertEquals(List.of(Finding.Kind.EXPLODING_GRADIENTS), kinds());
    }

    @Test
    void anInfiniteGradientNormIsNonFiniteReportedOnce() {
        samples(2);
        norm = Double.POSITIVE_INFINITY;
        samples(3);
        assertEquals(List.of(Finding.Kind.NON_FINITE), kinds());
        assertEquals(3, m.nonFiniteCount());
    }

    @Test
    void firstLayerGradientsBelowAThousandthOfTheLastForEightSamplesAreVanishing() {
        firstGrad = 0.1f * 5e-4f;
        samples(HealthMonitor.VANISHING_SAMPLES - 1);
        assertEquals(List.of(), found, "seven samples are not yet a pattern");
        sample();
        assertEquals(List.of(Finding.Kind.VANISHING_GRADIENTS), kinds());
        assertTrue(found.get(0).line().contains("for 8 samples in a row"), found.get(0).line());
    }

    @Test
    void aRatioJustAboveTheThresholdIsNotVanishing() {
        firstGrad = 0.1f * 2e-3f;
        samples(32);
        assertEquals(List.of(), found);
    }

    @Test
    void reluUnitsNeverPositiveOverAWindowAreDead() {
        reluOut = 0f;
        samples(HealthMonitor.WINDOW); // 8 samples × 32 rows = 256 rows: one window
        assertEquals(List.of(Finding.Kind.DEAD_UNITS), kinds());
        assertTrue(found.get(0).line().contains("100% of its 8 ReLU units were never active over 256 rows"), found.get(0).line());
    }

    @Test
    void sigmoidOutputsPinnedNearOneAreSaturated() {
        sigmoidOut = 0.995f;
        samples(HealthMonitor.WINDOW);
        assertEquals(List.of(Finding.Kind.SATURATION), kinds());
        sigmoidOut = 0.98f; // inside [0.01, 0.99]: not saturated (and already reported anyway)
        samples(HealthMonitor.WINDOW);
        assertEquals(1, found.size());
    }

    @Test
    void aWindowLossTwiceTheBestForTwoWindowsIsTooHighARate() {
        samples(HealthMonitor.WINDOW); // best window: 1.0
        loss = 2.5f;
        samples(HealthMonitor.WINDOW);
        assertEquals(List.of(), found, "one bad window is noise");
        samples(HealthMonitor.WINDOW);
        assertEquals(List.of(Finding.Kind.LR_TOO_HIGH), kinds());
    }

    @Test
    void tinyUpdatesWhileTheLossStallsAreTooLowARate() {
        weightStep = 1e-7f; // updates 2e-7 of the weights (0.5): below 1e-5
        samples(HealthMonitor.WINDOW * (HealthMonitor.PLATEAU_WINDOWS + 1));
        assertEquals(List.of(Finding.Kind.LR_TOO_LOW), kinds());
    }

    @Test
    void tinyUpdatesWhileTheLossFallsAreFine() {
        weightStep = 1e-7f;
        for (int i = 0; i < HealthMonitor.WINDOW * 6; i++) {
            loss *= 0.99f; // 8 % per window
            sample();
        }
        assertEquals(List.of(), found);
    }

    @Test
    void clippingOnEverySampleAtALossFarFromUnitScaleIsReported() {
        m.setClipNorm(5f);
        norm = 40;
        loss = 5000f;
        samples(ClippingDetector.SAMPLES);
        assertTrue(kinds().contains(Finding.Kind.CLIPPING), found.toString());
        Finding f = found.stream().filter(x -> x.kind() == Finding.Kind.CLIPPING).findFirst().orElseThrow();
        assertTrue(f.line().contains("data.standardize_targets = true"), f.line());
    }

    @Test
    void clippingDetectorOnCraftedNumbers() {
        ClippingDetector d = new ClippingDetector();
        for (int i = 0; i < ClippingDetector.SAMPLES - 1; i++) assertNull(d.observe(i, 40, 5f, 5000));
        assertNull(d.observe(7, 4, 5f, 5000), "one unclipped sample resets the run");
        for (int i = 0; i < ClippingDetector.SAMPLES - 1; i++) assertNull(d.observe(8 + i, 40, 5f, 5000));
        assertEquals(Finding.Kind.CLIPPING, d.observe(15, 40, 5f, 5000).kind());
        assertNull(d.observe(16, 40, 5f, 5000), "reported once");

        ClippingDetector unitScale = new ClippingDetector();
        for (int i = 0; i < 40; i++) assertNull(unitScale.observe(i, 40, 5f, 0.8), "clipping at a unit-scale loss is another matter");
        ClippingDetector off = new ClippingDetector();
        for (int i = 0; i < 40; i++) assertNull(off.observe(i, 40, 0f, 5000), "clip.norm 0: nothing is clipped");
    }
}
