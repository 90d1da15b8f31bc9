package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgetrain.BadInputException;



/**
 * A network's state as named tensors, with PyTorch nn.Sequential names ({@code 0.weight}, {@code 1.running_var},
 * {@code 1.num_batches_tracked}), copied out of or into the arena. Loading is strict like PyTorch's
 * {@code load_state_dict(strict=True)}: every tensor must be present with the same shape, and nothing extra.
 */
public final class StateDict {
    private StateDict() {
    }

    public static List<TensorData> export(Network net) {
        float[] a = net.arena();
        List<TensorData> out = new ArrayList<>();
        for (Parameter p : net.state()) {
            if (p.isCounter()) {
                out.add(TensorData.ofLong(p.name(), p.counterValue()));
            } else {
                out.add(TensorData.ofFloats(p.name(), p.shape(), Arrays.copyOfRange(a, p.offset(), p.offset() + p.size())));
            }
        }
        return out;
    }

    /** Copies tensors into the network; {@code source} names the file in errors. */
    public static void load(Network net, List<TensorData> tensors, String source) {
        Map<String, TensorData> byName = new LinkedHashMap<>();
        for (TensorData t : tensors) byName.put(t.name(), t);
        List<String> missing = new ArrayList<>();
        for (Parameter p : net.state()) {
            TensorData t = byName.remove(p.name());
            if (t == null) {
                missing.add(p.name());
                continue;
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new BadInputException(source + ": tensor " + p.name() + " has shape " + t.shapeText() + ", the model expects "
                        + Arrays.toString(p.shape()) + " (is the config's model the one these weights came from?)");
            }
            if (p.isCounter() != !t.isFloat()) {
                throw new BadInputException(source + ": tensor " + p.name() + " is " + (t.isFloat() ? "floating point" : "integer")
                        + ", expected " + (p.isCounter() ? "an integer counter" : "floating point"));
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException(source + ": missing tensor" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + "; the model expects " + names(net));
        }
        if (!byName.isEmpty()) {
            throw new BadInputException(source + ": unexpected tensor" + (byName.size() > 1 ? "s " : " ") + String.join(", ", byName.keySet())
                    + "; the model expects " + names(net));
        }
        float[] a = net.arena();
        for (TensorData t : tensors) {
            Parameter p = find(net, t.name());
            if (p.isCounter()) {
                p.setCounter(t.longs()[0]);
            } else {
                for (float v : t.floats()) {
                    if (!Float.isFinite(v)) throw new BadInputException(source + ": tensor " + t.name() + " holds a non-finite value");
                }
                System.arraycopy(t.floats(), 0, a, p.offset(), p.size());
            }
        }
    }

    private static Parameter find(Network net, String name) {
        for (Parameter p : net.state()) if (p.name().equals(name)) return p;
        throw new IllegalStateException(name);
    }

    private static String names(Network net) {
        List<String> n = new ArrayList<>();
        for (Parameter p : net.state()) n.add(p.name());
        return String.join(", ", n);
    }
}
