package org.edgetrain.train;

/**
 * Per-feature standardization {@code x' = (x − mean)/std}, fitted on the training data (population std, accumulated
 * in double) and stored with the model so evaluation and prediction see the same scale. A constant feature keeps
 * std 1 rather than dividing by zero. The same transform standardizes regression targets (columns = targets), which
 * predictions then leave through {@link #unapply}.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    public Standardizer(float[] mean, float[] std) {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std differ in length");
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The identity: mean 0, std 1. */
    public static Standardizer identity(int features) {
        float[] one = new float[features];
        java.util.Arrays.fill(one, 1f);
        return new Standardizer(new float[features], one);
    }

    /** Fits mean and population standard deviation of each column of a row-major matrix. */
    public static Standardizer fit(float[] x, int rows, int features) {
        double[] sum = new double[features];
        for (int r = 0; r < rows; r++) for (int j = 0; j < features; j++) sum[j] += x[r * features + j];
        float[] mean = new float[features];
        float[] std = new float[features];
        for (int j = 0; j < features; j++) {
            double m = rows == 0 ? 0 : sum[j] / rows;
            double ss = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * features + j] - m;
                ss += d * d;
            }
            double s = rows == 0 ? 0 : Math.sqrt(ss / rows);
            mean[j] = (float) m;
            std[j] = s > 1e-12 ? (float) s : 1f;
        }
        return new Standardizer(mean, std);
    }

    public int features() {
        return mean.length;
    }

    /** Standardizes a row-major matrix in place. */
    public void apply(float[] x, int rows) {
        int f = mean.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < f; j++) x[r * f + j] = (x[r * f + j] - mean[j]) / std[j];
        }
    }

    /** Undoes {@link #apply} in place, {@code x = x'·std + mean}: model outputs back in the targets' units. */
    public void unapply(float[] x, int offset, int rows) {
        int f = mean.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < f; j++) x[offset + r * f + j] = x[offset + r * f + j] * std[j] + mean[j];
        }
    }

    /** Whether this is the identity (mean 0, std 1 in every column): nothing to apply or undo. */
    public boolean isIdentity() {
        for (int j = 0; j < mean.length; j++) if (mean[j] != 0f || std[j] != 1f) return false;
        return true;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }
}
