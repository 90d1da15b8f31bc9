package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.data.CsvTable;
import org.edgetrain.data.DataLoader;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Evaluator;

/** {@code edgetrain eval}: a model on a labelled CSV → loss, accuracy and confusion matrix, or R², MAE, RMSE. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a model on a labelled CSV file";
    }

    @Override
    public String usage() {
        return """
                edgetrain eval --model FILE --data FILE [--kernels auto|native|java]
                  --model  a model file written by edgetrain train
                  --data   CSV with the model's feature and label columns
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("model", "data", "kernels"), Set.of());
        Path modelFile = args.requirePath("model", "model.etm");
        Path dataFile = args.requirePath("data", "data/digits-test.csv");
        Model model = ModelFile.read(modelFile);
        Dataset d = DataLoader.load(CsvTable.read(dataFile), model.features(), model.targets(), model.loss(), model.network().outputs());
        model.standardizer().apply(d.x(), d.rows());
        if (!model.loss().isClassification()) { // the loss on the training scale; metrics come back in the targets' units
            model.targetStandardizer().apply(d.y(), d.rows());
        }
        Evaluator ev = model.inference(KernelLoader.load(args.has("kernels") ? args.get("kernels") : "auto"), 256, modelFile.toString());
        Evaluation e = ev.evaluate(d);
        out.printf(Locale.ROOT, "%s on %s: %,d rows%n", modelFile, dataFile, e.rows());
        out.printf(Locale.ROOT, "loss %.4f (%s%s)%n", e.loss(), model.loss().configName(),
                model.targetStandardizer().isIdentity() ? "" : ", on standardized targets");
        if (e.isClassification()) {
            out.printf(Locale.ROOT, "accuracy %.4f%n", e.accuracy());
            out.print(e.confusionTable());
        } else {
            out.printf(Locale.ROOT, "r2 %.4f  mae %.4f  rmse %.4f%n", e.r2(), e.mae(), e.rmse());
        }
        return 0;
    }
}
