package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.junit.jupiter.api.Test;

class DenseTest {

    @Test
    void denseComputesXTimesWeightTransposedPlusBiasWithWeightStoredOutByIn() {
        GradientHarness h = new GradientHarness(NetworkSpec.builder(2).dense(3).build(), 1, LossKind.MSE, 1L);
        Dense d = (Dense) h.net.layers().get(0);
        float[] w = {1, 2, 3, 4, 5, 6}; // rows are outputs: W[o, i]
        float[] b = {0.5f, -0.5f, 1f};
        System.arraycopy(w, 0, h.a, d.weight().offset(), 6);
        System.arraycopy(b, 0, h.a, d.bias().offset(), 3);
        h.x = new float[] {1, -1};
        h.t = new float[] {0, 0, 0};
        float l = h.run(true);
        // y = [1−2+0.5, 3−4−0.5, 5−6+1]
        assertArrayEquals(new float[] {-0.5f, -1.5f, 0f}, slice(h.a, d.outputOffset(), 3));
        assertEquals((0.25 + 2.25 + 0) / 3, l, 1e-7);
        // dL/dy = 2y/3; dL/dW[o, i] = dL/dy[o]·x[i]; dL/db = dL/dy
        float[] gy = {-1f / 3, -1f, 0f};
        assertArrayEquals(new float[] {gy[0], -gy[0], gy[1], -gy[1], 0, 0}, slice(h.a, d.weight().gradOffset(), 6), 1e-7f);
        assertArrayEquals(gy, slice(h.a, d.bias().gradOffset(), 3), 1e-7f);
    }

    @Test
    void denseGradientsMatchFiniteDifferencesForOddBatchesAndWidths() {
        for (int batch : new int[] {1, 3, 5}) {
            NetworkSpec spec = NetworkSpec.builder(5).dense(7).dense(9).dense(3).build();
            GradientHarness h = new GradientHarness(spec, batch, LossKind.MSE, 2L).randomize(10 + batch, 1.0);
            h.run(true);
            h.assertAll(true, 1);
        }
    }

    @Test
    void denseWithoutBiasHasNoBiasTensorAndMatchesFiniteDifferences() {
        NetworkSpec spec = NetworkSpec.builder(5)
                .add(new LayerSpec.Dense(7, Init.AUTO, false)).tanh()
                .add(new LayerSpec.Dense(3, Init.AUTO, false)).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 3L).randomize(3, 1.0);
        for (Parameter p : h.net.state()) assertTrue(p.name().endsWith(".weight"), "unexpected tensor " + p);
        assertNull(((Dense) h.net.layers().get(0)).bias());
        h.run(true);
        h.assertAll(true, 1);
    }

    @Test
    void frozenDenseKeepsNoGradientYetPassesInputGradientToEarlierLayers() {
        NetworkSpec spec = NetworkSpec.builder(5).dense(7).dense(9).frozen().tanh().dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 4L).randomize(4, 1.0);
        Dense frozen = (Dense) h.net.layers().get(1);
        assertEquals(Parameter.Kind.FROZEN, frozen.weight().kind());
        assertEquals(Parameter.Kind.FROZEN, frozen.bias().kind());
        assertEquals(-1, frozen.weight().gradOffset());
        for (Slot s : h.plan.slots()) {
            if (s.owner().equals("1")) assertTrue(s.region() != Region.GRADIENTS, "frozen layer 1 has gradient slot " + s.what());
        }
        h.run(true);
        h.assertAll(true, 1); // checks 0.* and 3.* gradients and the frozen layer's own input gradient
    }

    static float[] slice(float[] a, int from, int n) {
        float[] f = new float[n];
        System.arraycopy(a, from, f, 0, n);
        return f;
    }
}
