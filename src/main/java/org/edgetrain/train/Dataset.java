package org.edgetrain.train;

import java.util.List;

/**
 * Rows of features and targets in two row-major float arrays, as the trainer consumes them. Targets hold class
 * indices (cross-entropy), 0/1 values (BCE) or real values (regression).
 */
public record Dataset(String source, List<String> featureNames, List<String> targetNames, float[] x, float[] y, int rows) {

    public Dataset {
        featureNames = List.copyOf(featureNames);
        targetNames = List.copyOf(targetNames);
        if (x.length != rows * featureNames.size()) throw new IllegalArgumentException("feature matrix size mismatch");
        if (y.length != rows * targetNames.size()) throw new IllegalArgumentException("target matrix size mismatch");
    }

    public int features() {
        return featureNames.size();
    }

    public int targetWidth() {
        return targetNames.size();
    }
}
