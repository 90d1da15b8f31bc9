package org.edgetrain.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    private static HealthMonitor monitor(List<Finding> sink) {
        Trainer t = new Trainer(NetworkSpec.builder(4).dense(8).leakyRelu().dense(3).build(),
                TrainingSpec.defaults(LossKind.CROSS_ENTROPY), new JavaKernels(), HealthSpec.defaults());
        t.health().setListener(sink::add);
        return t.health();
    }

    @Test
    void validationLossRisingThreeEpochsWhileTrainingLossFallsIsOverfitting() {
        List<Finding> found = new ArrayList<>();
        HealthMonitor m = monitor(found);
        double[] train = {1.0, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1};
        double[] val = {1.1, 0.8, 0.7, 0.72, 0.75, 0.8, 0.9};
        for (int e = 0; e < 4; e++) m.observeEpoch(e + 1, train[e], val[e]);
        assertTrue(found.isEmpty(), "one rise is noise: " + found);
        for (int e = 4; e < 7; e++) m.observeEpoch(e + 1, train[e], val[e]);
        assertEquals(1, found.size(), found.toString());
        Finding f = found.get(0);
        assertEquals(Finding.Kind.OVERFITTING, f.kind());
        assertTrue(f.line().contains("val_loss rose 0.7000 → 0.8000 over epochs 3-6"), f.line());
        assertTrue(f.line().contains("stop near epoch 3"), f.line());
    }

    @Test
    void bothLossesFallingIsNotOverfittingAndNoValidationMeansNoVerdict() {
        List<Finding> found = new ArrayList<>();
        HealthMonitor m = monitor(found);
        for (int e = 1; e <= 10; e++) m.observeEpoch(e, 1.0 / e, 1.2 / e);
        for (int e = 11; e <= 20; e++) m.observeEpoch(e, 1.0 / e, Double.NaN);
        assertTrue(found.isEmpty(), found.toString());
    }
}
