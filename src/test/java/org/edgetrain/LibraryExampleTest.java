package org.edgetrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgetrain.data.CsvTable;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Use it as a library" example, verbatim between the markers, run on the digits data. */
class LibraryExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeLibraryExampleTrainsSavesAndReloads() throws Exception {
        // rows of 64 features and a class label, as another program on the board would have them in memory
        CsvTable csv = CsvTable.read(Path.of("data/digits-train.csv"));
        int rows = csv.rows();
        float[] x = new float[rows * 64];
        float[] y = new float[rows];
        List<String> featureNames = new ArrayList<>();
        for (int j = 0; j < 64; j++) featureNames.add("pixel" + j);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 64; j++) x[r * 64 + j] = csv.value(r, csv.column("pixel" + j));
            y[r] = csv.value(r, csv.column("label"));
        }
        Path modelPath = tmp.resolve("model.etm");

        // --- README example begins ---
        NetworkSpec net = NetworkSpec.builder(64).dense(128).leakyRelu().dense(10).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withEpochs(30);
        Trainer trainer = new Trainer(net, spec, KernelLoader.load("auto"));
        System.out.print(trainer.memoryPlan().format());          // exact bytes, allocated once

        Standardizer std = Standardizer.fit(x, rows, 64);         // x: rows × 64 floats, row-major
        std.apply(x, rows);
        Dataset train = new Dataset("sensor log", featureNames, List.of("label"), x, y, rows);
        trainer.fit(train, null, report -> System.out.println(report.line()));

        float loss = trainer.step(x, 0, y, 0, 32);                // or one step at a time: allocates nothing
        ModelFile.write(modelPath, Model.of(trainer, featureNames, List.of("label"), std, Map.of()));
        // --- README example ends ---

        assertTrue(loss < 0.5f, "loss " + loss);
        Evaluation e = trainer.evaluate(train);
        assertTrue(e.accuracy() > 0.97, "training accuracy " + e.accuracy());
        Model back = ModelFile.read(modelPath);
        assertEquals(net, back.network());
        assertEquals(e.accuracy(), back.inference(KernelLoader.load("java"), 64, "model").evaluate(train).accuracy(), 1e-9);
    }
}
