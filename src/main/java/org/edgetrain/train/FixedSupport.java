package org.edgetrain.train;

import java.util.List;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.TrainingSpec;

/**
 * What {@code engine.precision = fixed} trains, checked before anything is built so a config gets one clear error.
 * Supported: dense, conv1d, maxpool1d, avgpool1d, global_avgpool1d, upsample1d, flatten, leaky_relu (slope in [0, 1)), relu, dropout (rate ≤ ½), and a final softmax under cross_entropy or
 * sigmoid under bce (the loss applies them in fp32); every loss; sgd and momentum with weight decay; clip.norm. Not
 * (yet): gru, prelu, tanh, sigmoid and softmax inside the network, batchnorm, residual, model.freeze, nesterov, adam,
 * adamw, rmsprop, clip.value.
 */
public final class FixedSupport {
    /** The list the error message gives. */
    public static final String SUPPORTED = "layers dense, conv1d, maxpool1d, avgpool1d, global_avgpool1d, upsample1d, flatten, leaky_relu (slope in [0, 1)), relu, dropout (rate <= 0.5), a final softmax"
            + " (cross_entropy) or sigmoid (bce); optimizer sgd or momentum (weight_decay allowed, no nesterov); clip.norm, no clip.value;"
            + " no model.freeze";

    private FixedSupport() {
    }

    /** Why fixed point cannot train this, or null when it can. */
    public static String unsupported(List<LayerSpec> layers, boolean frozen, TrainingSpec spec) {
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            boolean last = i == layers.size() - 1;
            String why = l.int16Refusal(last, spec.loss()); // the layer kind's descriptor answers
            if (why != null) return "layer " + i + " (" + l + ") is not supported in fixed point: " + why;
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
