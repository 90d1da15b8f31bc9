package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void standaloneSoftmaxUnderMeanSquaredErrorIsNotFusedAndMatchesFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).softmax().build();
        for (int batch : new int[] {1, 3, 5}) {
            GradientHarness h = new GradientHarness(spec, batch, LossKind.MSE, 12L).randomize(12 + batch, 2.0);
            assertFalse(h.net.fusesFinalActivation());
            h.run(true);
            h.assertAll(true, 1);
        }
    }

    @Test
    void softmaxInTheMiddleOfANetworkMatchesFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).softmax().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 13L).randomize(13, 2.0);
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void softmaxRowsSumToOneAndStayFiniteForHugeLogits() {
        GradientHarness h = LeakyReluTest.identityInFront(NetworkSpec.builder(3).dense(3).softmax().build(),
                new float[] {1000f, -1000f, 999f});
        h.run(true);
        Layer act = h.net.layers().get(1);
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            float p = h.a[act.outputOffset() + j];
            assertTrue(Float.isFinite(p) && Float.isFinite(h.a[act.dx + j]), "softmax of ±1000 not finite at " + j);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-6);
        // e^0 / (e^0 + e^-1) for the two largest logits
        assertEquals(1 / (1 + Math.exp(-1)), h.a[act.outputOffset()], 1e-6);
    }

    @Test
    void finalSoftmaxIsFusedIntoCrossEntropyInTrainingAndAppliedInEvaluation() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(4).softmax().build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.CROSS_ENTROPY, 14L).randomize(14, 1.0);
        assertTrue(h.net.fusesFinalActivation());
        h.run(true);
        h.assertAll(true, -1); // reference: cross-entropy over the logits of layer 0
        System.arraycopy(h.x, 0, h.a, h.net.inputOffset(), h.x.length);
        h.net.forward(3, false);
        double[] probs = h.reference().forward(GradientHarness.toDouble(h.x), 3, false, 0, 2);
        GradientHarness.assertAllClose("evaluation output (softmax probabilities)", probs,
                h.read(h.net.outputOffset(), 12), 1e-5, 1e-6);
    }
}
