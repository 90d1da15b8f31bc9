package org.edgetrain.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * After a convolution, health counts ReLU activity per channel: a channel that fires at some steps of the window is
 * alive (a feature detector that fires where its pattern is), one that never fires at any step is dead.
 */
class ChannelHealthTest {

    /** A frozen 1×1 conv over a ±1 alternating window: channel 0 fires at even steps, 1 at odd, 2 always, 3 as given. */
    private static List<Finding> train(float channel3Bias) {
        NetworkSpec spec = NetworkSpec.builder(16).channels(1).conv1d(4, 1).frozen().relu().flatten().dense(2).build();
        Trainer t = new Trainer(spec, TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withBatch(8), new JavaKernels(),
                HealthSpec.defaults().withEvery(1));
        List<Finding> found = new ArrayList<>();
        t.health().setListener(found::add);
        float[] a = t.network().arena();
        for (Parameter p : t.network().state()) {
            if (p.name().equals("0.weight")) System.arraycopy(new float[] {1f, -1f, 0f, 0f}, 0, a, p.offset(), 4);
            if (p.name().equals("0.bias")) System.arraycopy(new float[] {0f, 0f, 1f, channel3Bias}, 0, a, p.offset(), 4);
        }
        Rng rng = new Rng(3);
        float[] x = new float[8 * 16], y = new float[8];
        for (int step = 0; step < 200; step++) {
            for (int r = 0; r < 8; r++) {
                for (int s = 0; s < 16; s++) x[r * 16 + s] = (s % 2 == 0 ? 1f : -1f) * (0.5f + (float) rng.nextDouble());
                y[r] = rng.nextInt(2);
            }
            t.step(x, 0, y, 0, 8);
        }
        return found;
    }

    @Test
    void channelsThatFireAtSomeStepsAreAlive() {
        // per value, channels 0 and 1 are off at half the steps: 25 % of the values never fire; per channel, none is dead
        List<Finding> found = train(1f);
        assertTrue(found.stream().noneMatch(f -> f.kind() == Finding.Kind.DEAD_UNITS), found.toString());
    }

    @Test
    void aChannelOffAtEveryStepIsReportedAsADeadChannel() {
        List<Finding> found = train(-1f);
        List<Finding> dead = found.stream().filter(f -> f.kind() == Finding.Kind.DEAD_UNITS).toList();
        assertEquals(1, dead.size(), found.toString());
        assertTrue(dead.get(0).line().contains("25% of its 4 ReLU channels were never active"), dead.get(0).line());
    }
}
