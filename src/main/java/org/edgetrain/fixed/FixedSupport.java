package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.TrainingSpec;

/**
 * What {@code engine.precision = fixed} trains, checked before anything is built so a config gets one clear error.
 * Supported: dense, leaky_relu (slope in [0, 1)), relu, dropout (rate ≤ ½), and a final softmax under cross_entropy or
 * sigmoid under bce (the loss applies them in fp32); every loss; sgd and momentum with weight decay; clip.norm. Not
 * (yet): prelu, tanh, sigmoid and softmax inside the network, batchnorm, residual, model.freeze, nesterov, adam,
 * adamw, rmsprop, clip.value.
 */
public final class FixedSupport {
    /** The list the error message gives. */
    public static final String SUPPORTED = "layers dense, leaky_relu (slope in [0, 1)), relu, dropout (rate <= 0.5), a final softmax"
            + " (cross_entropy) or sigmoid (bce); optimizer sgd or momentum (weight_decay allowed, no nesterov); clip.norm, no clip.value;"
            + " no model.freeze";

    private FixedSupport() {
    }

    /** Why fixed point cannot train this, or null when it can. */
    public static String unsupported(List<LayerSpec> layers, boolean frozen, TrainingSpec spec) {
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            boolean last = i == layers.size() - 1;
            boolean ok = l instanceof LayerSpec.Dense || l instanceof LayerSpec.Relu
                    || l instanceof LayerSpec.LeakyRelu r && r.slope() >= 0f && r.slope() < 1f
                    || l instanceof LayerSpec.Dropout d && d.rate() <= 0.5f
                    || last && l instanceof LayerSpec.Softmax && spec.loss() == org.edgetrain.loss.LossKind.CROSS_ENTROPY
                    || last && l instanceof LayerSpec.Sigmoid && spec.loss() == org.edgetrain.loss.LossKind.BCE;
            if (l instanceof LayerSpec.Gru) {
                // its sigmoid and tanh gates multiply state by state every step: a power-of-two scale per tensor cannot
                // follow h through T steps without losing the small gate values, and int16 BPTT would saturate
                return "layer " + i + " (" + l + ") is not supported in fixed point: a GRU multiplies gated states step after step,"
                        + " which one int16 scale per tensor does not hold; train it in fp32";
            }
            if (!ok) return "layer " + i + " (" + l + ") is not supported in fixed point";
        }
        if (frozen) return "model.freeze is not supported in fixed point";
        OptimizerSpec o = spec.optimizer();
        if (o.kind() != OptimizerSpec.Kind.SGD && o.kind() != OptimizerSpec.Kind.MOMENTUM) {
            return "optimizer " + o.kind().configName() + " is not supported in fixed point";
        }
        if (o.nesterov()) return "nesterov momentum is not supported in fixed point";
        if (spec.clipping().maxValue() > 0f) return "clip.value is not supported in fixed point";
        return null;
    }
}
