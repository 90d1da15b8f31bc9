package org.edgetrain.cli;

import java.util.Locale;
import org.edgetrain.data.TrainingData;

/** The progress header's line saying regression targets are standardized, and how (so losses read on that scale). */
final class TargetScaleLine {
    private TargetScaleLine() {
    }

    static String of(TrainingData data) {
        float[] mean = data.targetStandardizer().mean(), std = data.targetStandardizer().std();
        StringBuilder sb = new StringBuilder("targets standardized (data.standardize_targets):");
        for (int j = 0; j < mean.length; j++) {
            sb.append(String.format(Locale.ROOT, " %s mean %.4g std %.4g%s", data.train().targetNames().get(j), mean[j], std[j],
                    j + 1 < mean.length ? ";" : ""));
        }
        return sb.append("; losses are on that scale, predict/eval/export give the targets' units").toString();
    }
}
