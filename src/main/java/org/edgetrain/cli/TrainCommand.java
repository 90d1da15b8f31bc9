package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgetrain.config.Engine;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.StateDict;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Step;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/** {@code edgetrain train}: config + training CSV (+ validation CSV) → model file, with a progress line per epoch. */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a model from a config and a CSV file";
    }

    @Override
    public String usage() {
        return """
                edgetrain train --config FILE --train FILE [--val FILE] [--out FILE] [--init-from FILE]
                                [--epochs N] [--seed N] [--kernels auto|native|java] [--threads N] [--quiet] [--plot FILE.svg]
                  --config     the config file (see README: Config reference)
                  --train      training CSV with a header; the label column is data.label
                  --val        validation CSV, evaluated after every epoch
                  --plot       write the epoch curves (training loss, and validation loss with --val) as an SVG file
                  --out        model file to write (default: model.etm)
                  --init-from  start from these weights: an edgetrain model (.etm, its standardization is kept)
                               or PyTorch safetensors with nn.Sequential names (0.weight, 0.bias, ...)
                  --epochs     override train.epochs (0 converts --init-from weights into a model file)
                  --seed       override train.seed
                  --kernels    override engine.kernels (auto: native if the library loads, else Java)
                  --threads    override engine.threads
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("config", "train", "val", "out", "init-from", "epochs", "seed", "kernels", "threads", "plot"),
                Set.of("quiet"));
        RunConfig cfg = RunConfig.load(args.requirePath("config", "examples/digits.conf"));
        Path trainFile = args.requirePath("train", "data/digits-train.csv");
        Path valFile = args.path("val");
        Path outFile = args.has("out") ? args.path("out") : Path.of("model.etm");
        Path initFrom = args.path("init-from");
        boolean quiet = args.flag("quiet");

        TrainingSpec spec = cfg.training();
        if (args.has("epochs")) spec = spec.withEpochs(args.intValue("epochs", spec.epochs(), 0));
        if (args.has("seed")) spec = spec.withSeed(args.intValue("seed", 1, 0));

        Model base = initFrom != null && ModelFile.looksLikeModel(initFrom) ? ModelFile.read(initFrom) : null;
        Standardizer preset = base != null ? base.standardizer() : null;
        TrainingData data = TrainingData.prepare(cfg, trainFile, valFile, preset, base != null ? base.targetStandardizer() : null);
        String kernelChoice = args.has("kernels") ? args.get("kernels") : cfg.kernels();
        int threads = args.intValue("threads", cfg.threads(), 1);
        Step trainer = Engine.step(cfg, data.network(), spec, kernelChoice, threads, args.has("threads") ? "--threads" : "engine.threads",
                cfg.health());
        trainer.health().setListener(f -> out.println("health: " + f.line())); // findings print even with --quiet
        MemoryPlan plan = trainer.memoryPlan();
        if (!quiet) {
            out.printf(Locale.ROOT, "model %s: %s%n", data.network().shortName(), data.network().layersText());
            String precision = "";
            if (cfg.fixedPoint()) {
                long fp32 = Trainer.plan(data.network(), spec, cfg.health()).totalBytes();
                precision = String.format(Locale.ROOT, "; fixed point (int16, %s rounding), %.0f %% of fp32's %s",
                        cfg.rounding().configName(), 100.0 * plan.totalBytes() / fp32, MemoryPlan.group(fp32));
            }
            out.printf(Locale.ROOT, "%,d trainable parameters; arena %s bytes (%s)%s; kernels %s%n", trainer.trainableParameterCount(),
                    MemoryPlan.group(plan.totalBytes()), "edgetrain plan shows the table", precision, trainer.kernelDescription());
            out.printf(Locale.ROOT, "optimizer %s; schedule %s; clip %s; batch %d; %d epochs; seed %d%n", spec.optimizer(), spec.schedule(),
                    spec.clipping(), spec.batch(), spec.epochs(), spec.seed());
            out.printf(Locale.ROOT, "data %s: %,d rows, %d features%s%n", trainFile, data.train().rows(), data.train().features(),
                    data.validation() != null ? String.format(Locale.ROOT, "; validation %s: %,d rows", valFile, data.validation().rows()) : "");
            if (!data.targetStandardizer().isIdentity()) out.println(TargetScaleLine.of(data));
        }
        if (initFrom != null) {
            trainer.importTensors(base != null ? base.tensors() : Safetensors.read(initFrom).tensors(), initFrom.toString());
            if (!quiet) out.println("initialized from " + initFrom + (base != null ? " (its standardization is kept)" : ""));
        }
        java.util.List<org.edgetrain.train.EpochReport> epochs = new java.util.ArrayList<>();
        trainer.fit(data.train(), data.validation(), r -> {
            epochs.add(r);
            if (!quiet) out.println(r.line());
        });
        if (args.has("plot")) {
            Path plot = args.path("plot");
            PlotFile.write(plot, PlotFile.epochs(epochs));
            out.println("wrote " + plot);
        }
        if (data.validation() != null) {
            boolean scaled = !data.targetStandardizer().isIdentity();
            // fp32: in the targets' units, as eval reports them; int16 evaluates on the standardized scale
            Evaluation e = scaled && trainer instanceof Trainer t
                    ? t.evaluator().withTargetScale(data.targetStandardizer()).evaluate(data.validation())
                    : trainer.evaluate(data.validation());
            out.println("validation " + e.summary() + (cfg.fixedPoint() ? " (fixed point" + (scaled ? "; on standardized targets, "
                    + "edgetrain eval gives their units)" : ")") : ""));
        }
        if (!trainer.precisionNote().isEmpty()) out.println(trainer.precisionNote());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("trained_at", Instant.now().toString());
        info.put("train_file", trainFile.getFileName().toString());
        info.put("train_rows", Integer.toString(data.train().rows()));
        info.put("epochs", Integer.toString(spec.epochs()));
        info.put("steps", Long.toString(trainer.steps()));
        info.put("optimizer", spec.optimizer().toString());
        trainer.describeInto(info);
        ModelFile.write(outFile, Model.of(trainer, data.train().featureNames(), data.train().targetNames(), data.standardizer(), info)
                .withTargetStandardizer(data.targetStandardizer()));
        out.println("wrote " + outFile);
        return 0;
    }
}
