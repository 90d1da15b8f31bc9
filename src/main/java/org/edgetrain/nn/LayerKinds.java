package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Every layer kind the {@code layers} language knows, in the order error messages list them: each {@link LayerSpec}
 * record's {@code KIND}. A new kind is added here once (LayerKindsTest fails on a record left out).
 */
public final class LayerKinds {
    public static final List<LayerKind> ALL = List.of(LayerSpec.Dense.KIND, LayerSpec.LeakyRelu.KIND, LayerSpec.Relu.KIND,
            LayerSpec.PRelu.KIND, LayerSpec.Sigmoid.KIND, LayerSpec.Tanh.KIND, LayerSpec.Softmax.KIND, LayerSpec.Dropout.KIND,
            LayerSpec.BatchNorm.KIND, LayerSpec.Residual.KIND, LayerSpec.Conv1d.KIND, LayerSpec.Pool1d.MAX_KIND,
            LayerSpec.Pool1d.AVG_KIND, LayerSpec.GlobalAvgPool1d.KIND, LayerSpec.Upsample1d.KIND, LayerSpec.Flatten.KIND,
            LayerSpec.Gru.KIND);

    /** What a layers line may hold, for error messages: {@code dense(units), leaky_relu[(slope)], ...}. */
    public static final String ALLOWED = allowed();

    /** Every name and alias, for "did you mean". */
    static final List<String> NAMES = names();

    private LayerKinds() {
    }

    /** Each kind's example as a layer, e.g. {@code dense(4)}: what docs, refusals and tests can ask every kind about. */
    public static List<LayerSpec> examples() {
        List<LayerSpec> out = new ArrayList<>();
        for (LayerKind k : ALL) out.addAll(LayerParser.parse(k.example(), "example of " + k.names().get(0)));
        return out;
    }

    /** The kind written {@code name} (an alias such as {@code linear} too), or null. */
    public static LayerKind find(String name) {
        for (LayerKind k : ALL) if (k.names().contains(name)) return k;
        return null;
    }

    /** A loop, not a stream: the daemon builds this list, and a stream pipeline loads ~40 classes and a lambda. */
    private static String allowed() {
        StringBuilder b = new StringBuilder();
        for (LayerKind k : ALL) b.append(b.length() == 0 ? "" : ", ").append(k.usage());
        return b.toString();
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        for (LayerKind k : ALL) out.addAll(k.names());
        return List.copyOf(out);
    }
}
