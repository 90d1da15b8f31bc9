package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


import java.nio.file.Path;
import org.edgetrain.train.FixedTrainer;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.kernels.NativeLibrary;
import org.junit.jupiter.api.Test;

/** Same seed → the same int16 weights bit for bit, from the Java and the native kernels; another seed differs. */
class FixedDeterminismTest {
    static final String CONFIG = """
            [model]
            layers = dense(32) leaky_relu dropout(0.1) dense(10)
            [optimizer]
            type = momentum
            lr = 0.01
            weight_decay = 0.0001
            [train]
            epochs = 2
            """;

    static String digest(FixedKernels k, long seed) {
        RunConfig cfg = RunConfig.parse("determinism", CONFIG);
        TrainingData data = TrainingData.prepare(cfg, Path.of("data/digits-train.csv"), null, null);
        FixedTrainer t = new FixedTrainer(data.network(), cfg.training().withSeed(seed), k, Rounding.STOCHASTIC);
        t.fit(data.train(), null, r -> { });
        return t.weightDigest();
    }

    @Test
    void sameSeedGivesTheSameWeightsTwice() {
        assertEquals(digest(new JavaFixedKernels(), 1), digest(new JavaFixedKernels(), 1));
        assertNotEquals(digest(new JavaFixedKernels(), 1), digest(new JavaFixedKernels(), 2));
    }

    @Test
    void javaAndNativeKernelsTrainTheSameBits() {
        // CI builds the library: there its absence is a failure, not a skip
        if (System.getenv("CI") != null) assertTrue(NativeFixedKernels.available(), "CI builds the native library: " + NativeLibrary.load().reason());
        assumeTrue(NativeFixedKernels.available(), "native library not available");
        String java = digest(new JavaFixedKernels(), 1);
        assertEquals(java, digest(new NativeFixedKernels(), 1));
        assertEquals(java, digest(NativeFixedKernels.direct(), 1), "native updates too (on x86-64 they are dispatched to Java)");
    }

    /** Batch 1 without clipping: 15 of every 16 steps fuse the weight gradient into the update (denseGradMomentum). */
    static final String BATCH1 = CONFIG.replace("epochs = 2", "epochs = 1\nbatch = 1\n[clip]\nnorm = 0");

    static String digestBatch1(FixedKernels k, Rounding rounding) {
        RunConfig cfg = RunConfig.parse("determinism, batch 1", BATCH1);
        TrainingData data = TrainingData.prepare(cfg, Path.of("data/digits-train.csv"), null, null);
        FixedTrainer t = new FixedTrainer(data.network(), cfg.training().withSeed(1), k, rounding);
        t.fit(data.train(), null, r -> { });
        return t.weightDigest();
    }

    @Test
    void batchOneFusedUpdatesTrainTheJavaBits() {
        if (System.getenv("CI") != null) assertTrue(NativeFixedKernels.available(), "CI builds the native library: " + NativeLibrary.load().reason());
        assumeTrue(NativeFixedKernels.available(), "native library not available");
        for (Rounding r : Rounding.values()) assertEquals(digestBatch1(new JavaFixedKernels(), r), digestBatch1(new NativeFixedKernels(), r), r.toString());
    }
}
