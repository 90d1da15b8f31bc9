package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

class NetworkTest {

    static NetworkSpec.Builder deepBody() {
        return NetworkSpec.builder(5).dense(7).batchNorm().leakyRelu()
                .residual(new LayerSpec.Dense(7, Init.AUTO, true), new LayerSpec.Tanh(), new LayerSpec.Dense(7, Init.AUTO, true))
                .dense(4);
    }

    @Test
    void denseBatchNormLeakyReluResidualDenseUnderFusedCrossEntropyMatchesFiniteDifferences() {
        NetworkSpec spec = deepBody().softmax().build();
        for (int batch : new int[] {3, 5}) {
            GradientHarness h = new GradientHarness(spec, batch, LossKind.CROSS_ENTROPY, 51L).randomize(51 + batch, 1.0);
            assertTrue(h.net.fusesFinalActivation());
            h.run(true);
            h.assertAll(true, 1);
        }
    }

    @Test
    void crossEntropyOverLogitsWithoutAFinalSoftmaxMatchesFiniteDifferences() {
        GradientHarness h = new GradientHarness(deepBody().build(), 5, LossKind.CROSS_ENTROPY, 52L).randomize(52, 1.0);
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void sigmoidOutputUnderFusedBinaryCrossEntropyMatchesFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).tanh().dense(3).sigmoid().build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.BCE, 53L).randomize(53, 1.0);
        assertTrue(h.net.fusesFinalActivation());
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void everyLayerKindInOneNetworkMatchesFiniteDifferences() {
        float rate = 0.2f;
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).add(new LayerSpec.PRelu(true, 0.25f)).dense(9).sigmoid()
                .dropout(rate).batchNorm()
                .residual(new LayerSpec.Dense(9, Init.AUTO, true), new LayerSpec.Relu(), new LayerSpec.Dense(9, Init.AUTO, false))
                .dense(3).build();
        GradientHarness h = new GradientHarness(spec, 5, LossKind.MSE, 54L).randomize(54, 1.0);
        h.run(true);
        Layer drop = h.net.layers().get(4);
        double[] mask = new double[5 * 9];
        for (int i = 0; i < mask.length; i++) mask[i] = h.a[drop.outputOffset() + i] != 0f ? 1.0 / (1.0 - rate) : 0.0;
        ReferenceNet ref = h.reference();
        ref.dropoutMasks.put("4", mask);
        h.assertAll(ref, true, 1);
    }

    @Test
    void layersBeforeTheFirstTrainableLayerComputeNoInputGradient() {
        NetworkSpec spec = NetworkSpec.builder(5).tanh().dense(7).tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 55L).randomize(55, 1.0);
        List<Layer> layers = h.net.layers();
        assertEquals(-1, layers.get(0).dx);
        assertEquals(-1, layers.get(1).dx);
        assertTrue(layers.get(2).dx >= 0);
        h.run(true);
        h.assertAll(true, 2);
    }

    @Test
    void aPartialBatchGivesTheGradientsOfANetworkPlannedForExactlyThoseRows() {
        NetworkSpec spec = deepBody().softmax().build();
        GradientHarness exact = new GradientHarness(spec, 3, LossKind.CROSS_ENTROPY, 57L).randomize(57, 1.0);
        GradientHarness larger = new GradientHarness(spec, 5, LossKind.CROSS_ENTROPY, 57L).randomize(57, 1.0);
        larger.x = exact.x;
        larger.t = exact.t;
        float l3 = exact.run(true);
        float l5 = larger.run(true, 3);
        assertEquals(l3, l5);
        for (Parameter p : exact.net.state()) {
            if (p.kind() != Parameter.Kind.TRAINABLE) continue;
            Parameter q = larger.net.state().stream().filter(o -> o.name().equals(p.name())).findFirst().orElseThrow();
            assertArrayEquals(exact.read(p.gradOffset(), p.size()), larger.read(q.gradOffset(), q.size()), 1e-7,
                    "gradient of " + p.name() + " with 3 rows in a network planned for 5");
        }
        exact.assertAll(true, 1);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 56L).randomize(56, 1.0);
        h.run(true);
        double[] once = h.read(h.net.gradientOffset(), h.net.trainableFloats());
        // the loss gradient slot doubles as activation-gradient scratch during backward, so write it again
        h.loss.forwardBackward(h.kernels, h.a, h.net.lossInputOffset(), h.targets, h.net.lossGradOffset(), 3, 3);
        h.net.backward(3); // without zeroing
        double[] twice = h.read(h.net.gradientOffset(), h.net.trainableFloats());
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-6 * Math.abs(once[i]) + 1e-9, "gradient " + i);
        h.net.zeroGradients();
        for (double g : h.read(h.net.gradientOffset(), h.net.trainableFloats())) assertEquals(0.0, g);
    }
}
