package org.edgetrain.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.edgetrain.cli.CliRunner;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files round-trip exactly, and a corrupted or truncated file is refused with a message that says so. */
class ModelFileTest {
    @TempDir
    Path tmp;
    Path file;
    Model model;

    @BeforeEach
    void writeModel() throws Exception {
        NetworkSpec net = NetworkSpec.builder(3).dense(5).batchNorm().leakyRelu(0.2f).residual(
                new org.edgetrain.nn.LayerSpec.Dense(5, org.edgetrain.nn.Init.HE_NORMAL, true), new org.edgetrain.nn.LayerSpec.Tanh())
                .dropout(0.25f).dense(2).softmax().frozen().build();
        Trainer t = new Trainer(net, TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withBatch(4), new JavaKernels());
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] y = {0, 1, 1, 0};
        for (int i = 0; i < 5; i++) t.step(x, 0, y, 0, 4);
        model = Model.of(t, List.of("a", "b, with comma", "c"), List.of("label"),
                new Standardizer(new float[] {1, 2, 3}, new float[] {0.5f, 1, 2}), Map.of("note", "line one\nline two"));
        file = tmp.resolve("m.etm");
        ModelFile.write(file, model);
    }

    @Test
    void roundTripKeepsEverything() throws Exception {
        Model back = ModelFile.read(file);
        assertEquals(model.network(), back.network());
        assertEquals(model.loss(), back.loss());
        assertEquals(model.features(), back.features());
        assertEquals(model.targets(), back.targets());
        assertArrayEquals(model.standardizer().mean(), back.standardizer().mean());
        assertArrayEquals(model.standardizer().std(), back.standardizer().std());
        assertEquals(model.tensors(), back.tensors());
        assertEquals("line one\nline two", back.info().get("note"));
        assertTrue(back.tensorNames().contains("1.num_batches_tracked"));
        assertTrue(ModelFile.looksLikeModel(file));
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        for (int len = 0; len < bytes.length; len += Math.max(1, bytes.length / 97)) {
            Path cut = tmp.resolve("cut.etm");
            Files.write(cut, Arrays.copyOf(bytes, len));
            FormatException e = assertThrows(FormatException.class, () -> ModelFile.read(cut), "length " + len);
            assertTrue(e.getMessage().startsWith(cut.toString() + ": "), e.getMessage());
        }
    }

    @Test
    void aFlippedBitAnywhereInThePayloadIsACrcError() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        for (int pos = ModelFile.HEADER_BYTES; pos < bytes.length; pos += 37) {
            byte[] bad = bytes.clone();
            bad[pos] ^= (byte) (1 << (pos % 8));
            Path f = tmp.resolve("flip.etm");
            Files.write(f, bad);
            FormatException e = assertThrows(FormatException.class, () -> ModelFile.read(f));
            assertTrue(e.getMessage().contains("corrupted: CRC32"), e.getMessage());
        }
    }

    @Test
    void wrongMagicAndNewerVersionAreNamed() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        byte[] notModel = bytes.clone();
        notModel[0] = 'X';
        Files.write(tmp.resolve("x.etm"), notModel);
        FormatException e = assertThrows(FormatException.class, () -> ModelFile.read(tmp.resolve("x.etm")));
        assertTrue(e.getMessage().contains("not an edgetrain model"), e.getMessage());

        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putInt(ModelFile.OFF_VERSION, ModelFile.VERSION + 1);
        Files.write(tmp.resolve("v.etm"), newer);
        e = assertThrows(FormatException.class, () -> ModelFile.read(tmp.resolve("v.etm")));
        assertTrue(e.getMessage().contains("model format version " + (ModelFile.VERSION + 1)), e.getMessage());
    }

    @Test
    void cliRefusesACorruptedModelWithExitCode2() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10;
        Path bad = tmp.resolve("bad.etm");
        Files.write(bad, bytes);
        Path csv = tmp.resolve("d.csv");
        Files.writeString(csv, "a,\"b, with comma\",c,label\n1,2,3,0\n");
        for (String cmd : List.of("eval", "predict")) {
            CliRunner r = CliRunner.run(cmd, "--model", bad.toString(), "--data", csv.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains(bad + ": corrupted: CRC32"), r.err());
            assertFalse(r.err().strip().contains("\n"), r.err());
        }
        CliRunner ok = CliRunner.run("eval", "--model", file.toString(), "--data", csv.toString());
        assertEquals(0, ok.exitCode(), ok.err());
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntact() throws Exception {
        byte[] before = Files.readAllBytes(file);
        Files.createDirectory(tmp.resolve(".m.etm.tmp")); // the temp file cannot be created: the write fails before the rename
        assertThrows(java.io.IOException.class, () -> ModelFile.write(file, model));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(model.tensors(), ModelFile.read(file).tensors());
    }
}
