package org.edgetrain.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target standardization in model files: stored (TNRM, format version 2) only when the targets were standardized,
 * so every other model stays a version-1 file that older edgetrain reads; a version-1 file loads with outputs in the
 * targets' units; inference undoes the standardization. Also AtomicFile's directory fsync reporting failure.
 */
class TargetStandardizationFileTest {
    @TempDir
    Path tmp;

    private Model regression() {
        NetworkSpec net = NetworkSpec.builder(2).dense(4).leakyRelu().dense(2).build();
        Trainer t = new Trainer(net, TrainingSpec.defaults(LossKind.MSE), new JavaKernels());
        return Model.of(t, List.of("a", "b"), List.of("y0", "y1"), Standardizer.identity(2), Map.of());
    }

    private static int version(Path file) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
    }

    @Test
    void unstandardizedTargetsKeepFormatVersionOneAndLoadAsIdentity() throws Exception {
        Path f = tmp.resolve("plain.etm");
        ModelFile.write(f, regression());
        assertEquals(1, version(f));
        Model back = ModelFile.read(f);
        assertTrue(back.targetStandardizer().isIdentity());
    }

    @Test
    void standardizedTargetsAreStoredAsVersionTwoAndUndoneInPredictions() throws Exception {
        Standardizer ts = new Standardizer(new float[] {150f, -3f}, new float[] {77f, 0.5f});
        Model m = regression().withTargetStandardizer(ts);
        Path f = tmp.resolve("scaled.etm");
        ModelFile.write(f, m);
        assertEquals(2, version(f));
        Model back = ModelFile.read(f);
        assertArrayEquals(ts.mean(), back.targetStandardizer().mean());
        assertArrayEquals(ts.std(), back.targetStandardizer().std());

        float[] x = {0.3f, -1.2f, 2f, 0.5f};
        float[] raw = new float[4], unscaled = new float[4];
        regression().inference(new JavaKernels(), 4, "plain").predict(x, 2, raw);
        back.inference(new JavaKernels(), 4, "scaled").predict(x, 2, unscaled);
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(raw[r * 2 + j] * ts.std()[j] + ts.mean()[j], unscaled[r * 2 + j], 1e-4, "row " + r + " target " + j);
            }
        }
    }

    @Test
    void aFailedDirectoryFsyncIsReportedNotIgnored() throws Exception {
        assertTrue(AtomicFile.syncDirectory(tmp));
        assertFalse(AtomicFile.syncDirectory(tmp.resolve("no-such-directory")));
    }
}
