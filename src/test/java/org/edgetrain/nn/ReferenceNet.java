package org.edgetrain.nn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgetrain.loss.LossKind;

/**
 * An independent double-precision forward pass of a {@link NetworkSpec}, written from PyTorch's definitions (not from
 * the layer classes), used as the truth for finite differences. Tensors are looked up by state_dict name
 * ({@code "0.weight"}, {@code "3.0.bias"}, {@code "1.running_var"}); dropout masks are given per layer name.
 */
final class ReferenceNet {
    final NetworkSpec spec;
    final Map<String, double[]> state;
    final Map<String, double[]> dropoutMasks = new HashMap<>();

    ReferenceNet(NetworkSpec spec, Map<String, double[]> state) {
        this.spec = spec;
        this.state = state;
    }

    /** Output of top-level layers {@code [from, to)} applied to {@code h} (width of layer {@code from}'s input). */
    double[] forward(double[] h, int batch, boolean training, int from, int to) {
        return run(spec.layers(), "", from, to, h, shapeBefore(from), batch, training);
    }

    /** Shape of the input of top-level layer {@code k}. */
    Shape shapeBefore(int k) {
        return k == 0 ? spec.inputShape() : spec.shapes().get(k - 1);
    }

    private double[] run(List<LayerSpec> layers, String prefix, int from, int to, double[] h, Shape shape, int batch,
                         boolean training) {
        for (int i = from; i < to; i++) {
            LayerSpec s = layers.get(i);
            String name = prefix + i;
            h = layer(s, name, h, shape, batch, training);
            shape = LayerSpec.outputShape(s, shape, name);
        }
        return h;
    }

    private double[] layer(LayerSpec s, String name, double[] x, Shape shape, int batch, boolean training) {
        int width = shape.width();
        double[] timeLayer = TimeReference.layer(s, name, state, x, shape, batch);
        if (timeLayer != null) return timeLayer;
        if (s instanceof LayerSpec.Dense d) {
            double[] w = state.get(name + ".weight");
            double[] b = d.bias() ? state.get(name + ".bias") : null;
            int out = d.units();
            double[] y = new double[batch * out];
            for (int r = 0; r < batch; r++) {
                for (int o = 0; o < out; o++) {
                    double acc = b == null ? 0 : b[o];
                    for (int i = 0; i < width; i++) acc += x[r * width + i] * w[o * width + i];
                    y[r * out + o] = acc;
                }
            }
            return y;
        }
        double[] y = new double[x.length];
        if (s instanceof LayerSpec.LeakyRelu l) {
            for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : l.slope() * x[i];
        } else if (s instanceof LayerSpec.Relu) {
            for (int i = 0; i < x.length; i++) y[i] = Math.max(0.0, x[i]);
        } else if (s instanceof LayerSpec.PRelu p) {
            double[] alpha = state.get(name + ".weight");
            for (int i = 0; i < x.length; i++) {
                double al = alpha[p.perUnit() ? i % width : 0];
                y[i] = x[i] > 0 ? x[i] : al * x[i];
            }
        } else if (s instanceof LayerSpec.Sigmoid) {
            for (int i = 0; i < x.length; i++) y[i] = 1.0 / (1.0 + Math.exp(-x[i]));
        } else if (s instanceof LayerSpec.Tanh) {
            for (int i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
        } else if (s instanceof LayerSpec.Softmax) {
            for (int r = 0; r < batch; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < width; j++) max = Math.max(max, x[r * width + j]);
                double sum = 0;
                for (int j = 0; j < width; j++) sum += Math.exp(x[r * width + j] - max);
                for (int j = 0; j < width; j++) y[r * width + j] = Math.exp(x[r * width + j] - max) / sum;
            }
        } else if (s instanceof LayerSpec.Dropout) {
            double[] mask = dropoutMasks.get(name);
            if (training && mask == null) throw new IllegalStateException("no dropout mask given for layer " + name);
            for (int i = 0; i < x.length; i++) y[i] = training ? x[i] * mask[i] : x[i];
        } else if (s instanceof LayerSpec.BatchNorm bn) {
            double[] gamma = state.get(name + ".weight");
            double[] beta = state.get(name + ".bias");
            boolean batchStats = training && !spec.frozen().contains(name);
            for (int j = 0; j < width; j++) {
                double mean, var;
                if (batchStats) {
                    mean = 0;
                    for (int r = 0; r < batch; r++) mean += x[r * width + j];
                    mean /= batch;
                    var = 0;
                    for (int r = 0; r < batch; r++) var += (x[r * width + j] - mean) * (x[r * width + j] - mean);
                    var /= batch; // biased, as PyTorch normalizes with
                } else {
                    mean = state.get(name + ".running_mean")[j];
                    var = state.get(name + ".running_var")[j];
                }
                double inv = 1.0 / Math.sqrt(var + bn.eps());
                for (int r = 0; r < batch; r++) y[r * width + j] = gamma[j] * (x[r * width + j] - mean) * inv + beta[j];
            }
        } else if (s instanceof LayerSpec.Residual res) {
            double[] f = run(res.block(), name + ".", 0, res.block().size(), x, shape, batch, training);
            for (int i = 0; i < x.length; i++) y[i] = x[i] + f[i];
        } else {
            throw new IllegalArgumentException("reference has no layer " + s);
        }
        return y;
    }

    /** Mean-reduced loss in double: MSE over outputs, cross-entropy over logits with class-index targets. */
    static double loss(LossKind kind, double[] z, double[] t, int batch, int n) {
        double sum = 0;
        switch (kind) {
            case MSE -> {
                for (int i = 0; i < z.length; i++) sum += (z[i] - t[i]) * (z[i] - t[i]);
                return sum / (batch * n);
            }
            case CROSS_ENTROPY -> {
                for (int r = 0; r < batch; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) max = Math.max(max, z[r * n + j]);
                    double s = 0;
                    for (int j = 0; j < n; j++) s += Math.exp(z[r * n + j] - max);
                    sum += Math.log(s) + max - z[r * n + (int) t[r]];
                }
                return sum / batch;
            }
            case BCE -> {
                for (int i = 0; i < z.length; i++) {
                    double p = 1.0 / (1.0 + Math.exp(-z[i]));
                    sum += -(t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p));
                }
                return sum / (batch * n);
            }
            default -> throw new IllegalArgumentException("reference has no loss " + kind);
        }
    }
}
