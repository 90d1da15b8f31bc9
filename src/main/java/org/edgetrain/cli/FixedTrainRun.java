package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.fixed.FixedKernelLoader;
import org.edgetrain.fixed.FixedKernels;
import org.edgetrain.fixed.FixedTrainer;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.io.Safetensors;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/**
 * {@code edgetrain train} with {@code engine.precision = fixed}: the same flags and output as fp32 training, a
 * {@link FixedTrainer} underneath, and a normal model file at the end (weights dequantized to fp32), so {@code eval},
 * {@code predict} and {@code export} work unchanged.
 */
final class FixedTrainRun {
    private FixedTrainRun() {
    }

    static int run(RunConfig cfg, TrainingSpec spec, TrainingData data, Path trainFile, Path valFile, Path outFile, Path initFrom,
                   Model base, String kernelChoice, boolean quiet, PrintStream out) throws Exception {
        FixedKernels kernels = FixedKernelLoader.load(kernelChoice);
        FixedTrainer trainer = new FixedTrainer(data.network(), spec, kernels, cfg.rounding());
        MemoryPlan plan = trainer.memoryPlan();
        if (!quiet) {
            long fp32 = Trainer.plan(data.network(), spec).totalBytes();
            out.printf(Locale.ROOT, "model %s: %s%n", data.network().shortName(), data.network().layersText());
            out.printf(Locale.ROOT, "fixed point (int16, %s rounding); arena %s bytes, %.0f %% of fp32's %s; kernels %s%n",
                    cfg.rounding().configName(), MemoryPlan.group(plan.totalBytes()), 100.0 * plan.totalBytes() / fp32, MemoryPlan.group(fp32),
                    kernels.name());
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
        trainer.fit(data.train(), data.validation(), r -> {
            if (!quiet) out.println(r.line());
        });
        if (data.validation() != null) {
            out.println("validation " + trainer.evaluate(data.validation()).summary() + " (fixed point"
                    + (data.targetStandardizer().isIdentity() ? ")" : "; on standardized targets, edgetrain eval gives their units)"));
        }
        out.println(trainer.saturationSummary());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("trained_at", Instant.now().toString());
        info.put("train_file", trainFile.getFileName().toString());
        info.put("train_rows", Integer.toString(data.train().rows()));
        info.put("epochs", Integer.toString(spec.epochs()));
        info.put("steps", Long.toString(trainer.steps()));
        info.put("optimizer", spec.optimizer().toString());
        info.put("precision", "fixed (int16, " + cfg.rounding().configName() + " rounding), exported as fp32");
        info.put("saturations", Long.toString(trainer.saturations()));
        info.put("fixed_digest", trainer.weightDigest());
        ModelFile.write(outFile, new Model(data.network(), spec.loss(), spec.huberDelta(), data.train().featureNames(),
                data.train().targetNames(), data.standardizer(), trainer.exportTensors(), info, data.targetStandardizer()));
        out.println("wrote " + outFile);
        return 0;
    }
}
