package org.edgetrain.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.kernels.JavaKernels;
import org.junit.jupiter.api.Test;

/** One seed fixes initialization, shuffling and dropout: the same seed and config give identical weights. */
class DeterminismTest {
    private static final String CONFIG = """
            [model]
            layers = dense(32) batchnorm leaky_relu dropout(0.3) dense(10)
            [optimizer]
            type = adam
            [train]
            batch = 16
            epochs = 2
            seed = %d
            shuffle = true
            """;

    private static float[] trainedWeights(long seed) {
        RunConfig cfg = RunConfig.parse("determinism.conf", String.format(CONFIG, seed));
        TrainingData data = TrainingData.prepare(cfg, Path.of("data/digits-train.csv"), null, null);
        Trainer t = new Trainer(data.network(), cfg.training(), new JavaKernels());
        t.fit(data.train(), null, r -> { });
        float[] a = t.arena().data();
        return Arrays.copyOfRange(a, t.network().parameterOffset(), t.network().parameterOffset() + t.network().trainableFloats());
    }

    @Test
    void sameSeedAndConfigGiveBitIdenticalWeights() {
        float[] first = trainedWeights(42);
        float[] second = trainedWeights(42);
        assertArrayEquals(first, second); // assertArrayEquals on float[] compares bits via Float.equals semantics
        for (int i = 0; i < first.length; i++) {
            if (Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(second[i])) throw new AssertionError("bit difference at " + i);
        }
    }

    @Test
    void anotherSeedGivesOtherWeights() {
        assertFalse(Arrays.equals(trainedWeights(42), trainedWeights(43)));
    }
}
