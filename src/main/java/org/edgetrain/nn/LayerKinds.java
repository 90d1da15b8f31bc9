package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Every layer kind the {@code layers} language knows, in the order error messages list them: each {@link LayerSpec}
 * record's {@code KIND}. A new kind is added here twice, to {@link #all()} and to {@link #find}'s switch (LayerKindsTest
 * fails on a record left out of either).
 */
public final class LayerKinds {
    private LayerKinds() {
    }

    /** Every kind, in the order error messages list them. */
    public static List<LayerKind> all() {
        return Every.ALL;
    }

    /** What a layers line may hold, for error messages: {@code dense(units), leaky_relu[(slope)], ...}. */
    public static String allowed() {
        return Every.ALLOWED;
    }

    /** Every name and alias, for "did you mean". */
    static List<String> names() {
        return Every.NAMES;
    }

    /**
     * The kind written {@code name} (an alias such as {@code linear} too), or null. A switch rather than a search of
     * {@link #all()}: a layers line then loads only the kinds it names, and the default daemon's model 2 of the 17 (~40
     * classes fewer, each ~8 KB resident on a board; README, the classes the default daemon loads).
     */
    public static LayerKind find(String name) {
        return switch (name) {
            case "dense", "linear" -> LayerSpec.Dense.KIND;
            case "leaky_relu" -> LayerSpec.LeakyRelu.KIND;
            case "relu" -> LayerSpec.Relu.KIND;
            case "prelu" -> LayerSpec.PRelu.KIND;
            case "sigmoid" -> LayerSpec.Sigmoid.KIND;
            case "tanh" -> LayerSpec.Tanh.KIND;
            case "softmax" -> LayerSpec.Softmax.KIND;
            case "dropout" -> LayerSpec.Dropout.KIND;
            case "batchnorm", "batch_norm", "batchnorm1d" -> LayerSpec.BatchNorm.KIND;
            case "residual" -> LayerSpec.Residual.KIND;
            case "conv1d" -> LayerSpec.Conv1d.KIND;
            case "maxpool1d" -> LayerSpec.Pool1d.MAX_KIND;
            case "avgpool1d" -> LayerSpec.Pool1d.AVG_KIND;
            case "global_avgpool1d" -> LayerSpec.GlobalAvgPool1d.KIND;
            case "upsample1d" -> LayerSpec.Upsample1d.KIND;
            case "flatten" -> LayerSpec.Flatten.KIND;
            case "gru" -> LayerSpec.Gru.KIND;
            default -> null;
        };
    }

    /** Each kind's example as a layer, e.g. {@code dense(4)}: what docs, refusals and tests can ask every kind about. */
    public static List<LayerSpec> examples() {
        List<LayerSpec> out = new ArrayList<>();
        for (LayerKind k : all()) out.addAll(LayerParser.parse(k.example(), "example of " + k.names().get(0)));
        return out;
    }

    /** Built on first use (an error message, a doc, a test), not when a layers line that parses is read. */
    private static final class Every {
        static final List<LayerKind> ALL = List.of(LayerSpec.Dense.KIND, LayerSpec.LeakyRelu.KIND, LayerSpec.Relu.KIND,
                LayerSpec.PRelu.KIND, LayerSpec.Sigmoid.KIND, LayerSpec.Tanh.KIND, LayerSpec.Softmax.KIND, LayerSpec.Dropout.KIND,
                LayerSpec.BatchNorm.KIND, LayerSpec.Residual.KIND, LayerSpec.Conv1d.KIND, LayerSpec.Pool1d.MAX_KIND,
                LayerSpec.Pool1d.AVG_KIND, LayerSpec.GlobalAvgPool1d.KIND, LayerSpec.Upsample1d.KIND, LayerSpec.Flatten.KIND,
                LayerSpec.Gru.KIND);
        static final String ALLOWED = allowedText();
        static final List<String> NAMES = nameList();

        private static String allowedText() {
            StringBuilder b = new StringBuilder();
            for (LayerKind k : ALL) b.append(b.length() == 0 ? "" : ", ").append(k.usage());
            return b.toString();
        }

        private static List<String> nameList() {
            List<String> out = new ArrayList<>();
            for (LayerKind k : ALL) out.addAll(k.names());
            return List.copyOf(out);
        }
    }
}
