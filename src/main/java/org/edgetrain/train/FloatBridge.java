package org.edgetrain.train;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.edgetrain.nn.StateDict;
import org.edgetrain.nn.TensorData;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.NetworkSpec;

/**
 * fp32 weights in and out of fixed point through a temporary fp32 network of the same spec (inference-sized, freed
 * after use): its seeded initialization gives fixed point the very starting weights fp32 training gets, and its
 * strict {@link StateDict#load} checks and converts a model file's or safetensors' tensors (names, shapes, dtypes).
 */
final class FloatBridge {
    private FloatBridge() {
    }

    /** The seeded initial weights of the fp32 network: identical to what fp32 training starts from. */
    static List<TensorData> initial(NetworkSpec spec, long seed) {
        Network net = network(spec, seed);
        return StateDict.export(net);
    }

    /** Tensors checked strictly against the spec and converted to fp32; {@code source} names the file in errors. */
    static List<TensorData> checked(NetworkSpec spec, List<TensorData> tensors, String source) {
        Network net = network(spec, 0L);
        StateDict.load(net, tensors, source);
        return StateDict.export(net);
    }

    private static Network network(NetworkSpec spec, long seed) {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < spec.layers().size(); i++) all.add(Integer.toString(i));
        MemoryPlan.Builder b = MemoryPlan.builder();
        Network net = new Network(spec.withFrozen(all), 1, true, seed, b);
        net.bind(new Arena(b.build()), new JavaKernels());
        return net;
    }
}
