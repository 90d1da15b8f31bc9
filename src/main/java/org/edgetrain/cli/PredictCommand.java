package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.data.CsvTable;
import org.edgetrain.data.DataLoader;
import org.edgetrain.io.AtomicFile;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.loss.LossKind;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Evaluator;

/**
 * {@code edgetrain predict}: a model on a CSV (label columns may be absent) → one CSV line per row: the class and its
 * probabilities for cross-entropy, 0/1 and a probability per target for BCE, values for regression.
 */
final class PredictCommand implements Command {
    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "predict with a model on a CSV file, to stdout or a file";
    }

    @Override
    public String usage() {
        return """
                edgetrain predict --model FILE --data FILE [--out FILE] [--kernels auto|native|java]
                  --model  a model file written by edgetrain train
                  --data   CSV with (at least) the model's feature columns
                  --out    write the predictions CSV here instead of stdout
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("model", "data", "out", "kernels"), Set.of());
        Path modelFile = args.requirePath("model", "model.etm");
        Model model = ModelFile.read(modelFile);
        Dataset d = DataLoader.features(CsvTable.read(args.requirePath("data", "data/digits-test.csv")), model.features());
        model.standardizer().apply(d.x(), d.rows());
        Evaluator ev = model.inference(KernelLoader.load(args.has("kernels") ? args.get("kernels") : "auto"), 256, modelFile.toString());
        int k = model.network().outputs();
        float[] p = new float[d.rows() * k];
        ev.predict(d.x(), d.rows(), p);
        String csv = format(model, p, d.rows(), k);
        if (args.has("out")) {
            AtomicFile.write(args.path("out"), ByteBuffer.wrap(csv.getBytes(StandardCharsets.UTF_8)));
            out.printf(Locale.ROOT, "wrote %,d predictions to %s%n", d.rows(), args.path("out"));
        } else {
            out.print(csv);
        }
        return 0;
    }

    static String format(Model model, float[] p, int rows, int k) {
        StringBuilder sb = new StringBuilder();
        List<String> targets = model.targets();
        if (model.loss() == LossKind.CROSS_ENTROPY) {
            sb.append("prediction");
            for (int j = 0; j < k; j++) sb.append(",p_").append(j);
            sb.append('\n');
            for (int r = 0; r < rows; r++) {
                int best = 0;
                for (int j = 1; j < k; j++) if (p[r * k + j] > p[r * k + best]) best = j;
                sb.append(best);
                for (int j = 0; j < k; j++) sb.append(',').append(String.format(Locale.ROOT, "%.6g", p[r * k + j]));
                sb.append('\n');
            }
        } else if (model.loss() == LossKind.BCE) {
            for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ",").append(targets.get(j)).append(",p_").append(targets.get(j));
            sb.append('\n');
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    float v = p[r * k + j];
                    sb.append(j == 0 ? "" : ",").append(v > 0.5f ? 1 : 0).append(',').append(String.format(Locale.ROOT, "%.6g", v));
                }
                sb.append('\n');
            }
        } else {
            sb.append(String.join(",", targets)).append('\n');
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", p[r * k + j]));
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
