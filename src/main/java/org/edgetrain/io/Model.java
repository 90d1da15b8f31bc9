package org.edgetrain.io;

import org.edgetrain.nn.StateDict;
import org.edgetrain.nn.TensorData;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Evaluator;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Step;

/**
 * A trained model as a file carries it: architecture, loss, the columns it reads and predicts, the standardization
 * fitted on its training data (features, and for regression the targets: the network predicts standardized targets and
 * {@link #inference} undoes it), its tensors (PyTorch names), and free-form info such as when it was trained.
 */
public record Model(NetworkSpec network, LossKind loss, float huberDelta, List<String> features, List<String> targets,
                    Standardizer standardizer, List<TensorData> tensors, Map<String, String> info,
                    Standardizer targetStandardizer) {

    /** A model whose outputs are in the targets' own units (classification, or regression trained unstandardized). */
    public Model(NetworkSpec network, LossKind loss, float huberDelta, List<String> features, List<String> targets,
                 Standardizer standardizer, List<TensorData> tensors, Map<String, String> info) {
        this(network, loss, huberDelta, features, targets, standardizer, tensors, info, Standardizer.identity(network.outputs()));
    }

    public Model {
        if (targetStandardizer == null) targetStandardizer = Standardizer.identity(network.outputs());
        if (targetStandardizer.features() != network.outputs()) {
            throw new IllegalArgumentException("model has " + network.outputs() + " outputs but " + targetStandardizer.features()
                    + " target standardization columns");
        }
        features = List.copyOf(features);
        targets = List.copyOf(targets);
        tensors = List.copyOf(tensors);
        info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
        if (standardizer.features() != network.inputs() || features.size() != network.inputs()) {
            throw new IllegalArgumentException("model has " + network.inputs() + " inputs but " + features.size() + " feature names and "
                    + standardizer.features() + " standardization columns");
        }
    }

    /** Captures a trainer's current weights, as fp32 whatever its precision. */
    public static Model of(Step trainer, List<String> features, List<String> targets, Standardizer standardizer,
                           Map<String, String> info) {
        return new Model(trainer.networkSpec(), trainer.spec().loss(), trainer.spec().huberDelta(), features, targets,
                standardizer, trainer.exportTensors(), info);
    }

    /** This model with regression targets standardized by {@code s} (what the network's outputs must be mapped through). */
    public Model withTargetStandardizer(Standardizer s) {
        return new Model(network, loss, huberDelta, features, targets, standardizer, tensors, info, s);
    }

    /** A network for evaluation and prediction only: no gradients, no optimizer state, weights loaded. */
    public Evaluator inference(Kernels kernels, int batch, String source) {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < network.layers().size(); i++) all.add(Integer.toString(i));
        NetworkSpec frozen = network.withFrozen(all);
        MemoryPlan.Builder b = MemoryPlan.builder();
        boolean fuse = loss == LossKind.CROSS_ENTROPY || loss == LossKind.BCE;
        Network net = new Network(frozen, batch, fuse, 0L, b);
        Loss l = Loss.of(loss, huberDelta);
        int tw = l.targetWidth(net.lossWidth());
        Slot targetsSlot = b.add(Region.INPUTS, "loss", "targets", batch * tw);
        Arena arena = new Arena(b.build());
        net.bind(arena, kernels);
        StateDict.load(net, tensors, source);
        return new Evaluator(net, l, targetsSlot.offset()).withTargetScale(targetStandardizer);
    }

    /** Tensor names in order, for messages. */
    public List<String> tensorNames() {
        List<String> n = new ArrayList<>();
        for (TensorData t : tensors) n.add(t.name());
        return n;
    }
}
