package org.edgetrain.nn;

/**
 * The ONNX graph as a {@link LayerSpec} adds its inference-form operators to it in {@link LayerSpec#onnx}: implemented
 * by {@code io.onnx.OnnxExport}, so the layer kind says which operator and attributes it exports to while the
 * protobuf encoding stays in {@code io}.
 */
public interface OnnxNodes {
    /**
     * Adds operator {@code op} over {@code inputs} with attributes as alternating name, value pairs (float or long) and
     * returns its output's name, made fresh from {@code what}.
     */
    String node(String op, String what, String[] inputs, Object... attributes);

    /** The model tensor {@code name} (e.g. {@code 0.weight}) as an initializer; returns its value name. */
    String weight(String name);

    /** Adds a layer nested in this one (a residual's block) as {@link LayerSpec#onnx} would, refusing a kind without an operator. */
    String layer(LayerSpec spec, String name, String x);
}
