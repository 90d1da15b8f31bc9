package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Shape;
import org.edgetrain.train.FixedSupport;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;

/** Which time layers int16 has: the descriptors' refusals and the fixed network agree, and the GRU keeps its reason. */
class FixedTimeLayersTest {
    static final List<LayerSpec> TIME = List.of(new LayerSpec.Conv1d(4, 3, 1, LayerSpec.Padding.SAME, 1, true),
            new LayerSpec.Pool1d(true, 2, 2), new LayerSpec.Pool1d(false, 2, 2), new LayerSpec.GlobalAvgPool1d(),
            new LayerSpec.Upsample1d(2), new LayerSpec.Flatten());

    @Test
    void everyTimeLayerButTheGruHasAnInt16Layer() {
        Shape in = new Shape(8, 2, false);
        for (LayerSpec s : TIME) {
            assertNull(s.int16Refusal(false, LossKind.MSE), s.toString());
            assertNotNull(s.int16Layer(new FixedNetwork.Maker("0", in.width(), in, new Rng(1))), s.toString());
        }
        LayerSpec gru = new LayerSpec.Gru(4, false);
        assertTrue(gru.int16Refusal(false, LossKind.MSE).contains("GRU multiplies gated states"), gru.int16Refusal(false, LossKind.MSE));
        assertNull(gru.int16Layer(new FixedNetwork.Maker("0", in.width(), in, new Rng(1))));
    }

    @Test
    void fixedSupportAcceptsAConvNetworkAndRefusesAGruNamingTheLayer() {
        TrainingSpec spec = TrainingSpec.defaults(LossKind.MSE);
        NetworkSpec conv = NetworkSpec.builder(16).channels(2).conv1d(4, 3).relu().maxPool1d(2).flatten().dense(2).build();
        assertNull(FixedSupport.unsupported(conv.layers(), false, spec));
        NetworkSpec gru = NetworkSpec.builder(16).channels(2).gru(4, false).dense(2).build();
        String why = FixedSupport.unsupported(gru.layers(), false, spec);
        assertTrue(why != null && why.startsWith("layer 0 (gru(4)) is not supported in fixed point"), why);
    }

    @Test
    void theConvLayerPlansItsInputGradientScratchOnlyWhenAnEarlierLayerNeedsIt() {
        // conv (first trained: no dL/dx) → conv (dL/dx: the rearranged weight; the gathered dL/dy reuses im2col)
        NetworkSpec net = NetworkSpec.builder(16).channels(2).conv1d(3, 3).relu().conv1d(4, 2).flatten().dense(2).build();
        MemoryPlan.Builder b = MemoryPlan.builder();
        new FixedNetwork(net, 5, false, 1L, b);
        String plan = b.build().format();
        assertEquals(1, plan.split("weight rearranged", -1).length - 1, plan);
        assertTrue(plan.contains("weight rearranged [3, 8]"), plan); // 3 in-channels, 4 out-channels × kernel 2
        assertTrue(plan.contains("im2col [30, 6]"), plan); // first conv: 5 × 6 steps, 2 channels × kernel 3
        assertFalse(plan.contains("gathered"), plan);
        // an im2col smaller than one gathered row (2 steps × 2 values against 40 channels × 2 taps): a buffer of its own
        NetworkSpec wide = NetworkSpec.builder(18).channels(2).conv1d(2, 1).conv1d(40, 2, 4, LayerSpec.Padding.VALID, 1).flatten().dense(2).build();
        MemoryPlan.Builder w = MemoryPlan.builder();
        new FixedNetwork(wide, 1, false, 1L, w);
        assertTrue(w.build().format().contains("dL/dy gathered per input step [9, 80]"), w.build().format());
    }
}
