package org.edgetrain.data;

import java.nio.file.Path;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.config.RunConfig;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Standardizer;

/**
 * A config's data, ready to train on: the network sized to the data's columns, training (and validation) rows
 * standardized with statistics fitted on the training rows only, or with a given standardizer when fine-tuning a
 * model that brings its own. Regression targets are standardized the same way ({@code data.standardize_targets},
 * on by default): the network learns {@code (y − mean)/std} and {@link #targetStandardizer} goes into the model file
 * so that predict, eval and export give values in the targets' units again.
 */
public record TrainingData(NetworkSpec network, Dataset train, Dataset validation, Standardizer standardizer,
                           Standardizer targetStandardizer) {

    /**
     * @param preset a standardizer to reuse (from a model being fine-tuned), or null to fit one per the config
     */
    public static TrainingData prepare(RunConfig cfg, Path trainFile, Path validationFile, Standardizer preset) {
        return prepare(cfg, trainFile, validationFile, preset, null);
    }

    /**
     * @param preset       a feature standardizer to reuse (from a model being fine-tuned), or null to fit one per the config
     * @param targetPreset the target standardizer of that model, or null to fit one per the config
     */
    public static TrainingData prepare(RunConfig cfg, Path trainFile, Path validationFile, Standardizer preset,
                                       Standardizer targetPreset) {
        CsvTable t = CsvTable.read(trainFile);
        List<String> features = cfg.features();
        int inputs = (features != null ? features.size() : countFeatures(t, cfg.labels()));
        NetworkSpec net = cfg.network(inputs);
        checkTargets(cfg, net, cfg.labels(), t);
        Dataset train = DataLoader.load(t, features, cfg.labels(), cfg.training().loss(), net.outputs());
        Dataset val = null;
        if (validationFile != null) {
            val = DataLoader.load(CsvTable.read(validationFile), train.featureNames(), cfg.labels(), cfg.training().loss(), net.outputs());
        }
        Standardizer s;
        if (preset != null) {
            if (preset.features() != inputs) {
                throw new BadInputException(trainFile + ": " + inputs + " feature columns, the model being fine-tuned has " + preset.features());
            }
            s = preset;
        } else {
            s = cfg.standardize() ? Standardizer.fit(train.x(), train.rows(), inputs) : Standardizer.identity(inputs);
        }
        s.apply(train.x(), train.rows());
        if (val != null) s.apply(val.x(), val.rows());
        int outputs = train.targetWidth();
        Standardizer ts;
        if (cfg.training().loss().isClassification()) {
            return new TrainingData(net, train, val, s, Standardizer.identity(net.outputs())); // class labels stay as they are
        } else if (targetPreset != null && targetPreset.features() == outputs) {
            ts = targetPreset;
        } else {
            ts = cfg.standardizeTargets() ? Standardizer.fit(train.y(), train.rows(), outputs) : Standardizer.identity(outputs);
        }
        ts.apply(train.y(), train.rows());
        if (val != null) ts.apply(val.y(), val.rows());
        return new TrainingData(net, train, val, s, ts);
    }

    /** A label value that is not a small class index (a fraction, negative, or beyond 1000), or null if all are. */
    private static String continuousExample(CsvTable t, String label) {
        int c = t.column(label);
        if (c < 0) return null;
        for (int r = 0; r < t.rows(); r++) {
            float v = t.value(r, c);
            if (Float.isFinite(v) && (v != Math.rint(v) || v < 0 || v > 1000)) return Float.toString(v);
        }
        java.util.Set<Float> distinct = new java.util.HashSet<>();
        for (int r = 0; r < t.rows() && distinct.size() <= 20; r++) distinct.add(t.value(r, c));
        return distinct.size() > 20 ? "'" + t.value(0, c) + "' (more than 20 distinct values)" : null;
    }

    private static int countFeatures(CsvTable t, List<String> labels) {
        int n = 0;
        for (String h : t.header()) if (!labels.contains(h)) n++;
        return n;
    }

    private static void checkTargets(RunConfig cfg, NetworkSpec net, List<String> labels, CsvTable t) {
        switch (cfg.training().loss()) {
            case CROSS_ENTROPY -> {
                if (net.outputs() < 2) {
                    String continuous = labels.size() == 1 ? continuousExample(t, labels.get(0)) : null;
                    throw new BadInputException(cfg.source() + ": loss cross_entropy needs a last layer with one output per class (>= 2), "
                            + "the model ends with " + net.outputs() + (continuous != null
                            ? "; the label '" + labels.get(0) + "' holds numbers such as " + continuous + ": to predict a number use "
                                    + "loss.type = mse (or huber); for two classes 0/1 with one output use loss.type = bce"
                            : "; for two classes 0/1 with one output use loss.type = bce; to predict a number use loss.type = mse"));
                }
            }
            default -> {
                if (labels.size() != net.outputs()) {
                    throw new BadInputException(cfg.source() + ": loss " + cfg.training().loss().configName() + " compares the model's "
                            + net.outputs() + " outputs with " + labels.size() + " label column(s) " + labels
                            + "; make data.label list one column per output");
                }
            }
        }
    }
}
