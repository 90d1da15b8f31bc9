package org.edgetrain.io.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgetrain.BadInputException;
import org.edgetrain.io.AtomicFile;
import org.edgetrain.io.Model;
import org.edgetrain.nn.TensorData;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.LayerKinds;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.OnnxNodes;
import org.edgetrain.train.Standardizer;

/**
 * A model as an ONNX file that gives what {@code edgetrain predict} gives: input {@code features [N, inputs]} in the
 * CSV's units, output {@code predictions [N, outputs]}: probabilities for classification, values in the targets'
 * units for regression. The graph is the feature standardization (Sub, Div), one operator per layer in inference form
 * (dropout gone, batch norm on its running statistics), the activation the loss implies (Softmax for cross-entropy,
 * Sigmoid for BCE) and, for standardized regression targets, their undoing (Mul, Add).
 */
public final class OnnxExport {
    public static final String INPUT = "features", OUTPUT = "predictions";

    private final Model model;
    private final Map<String, TensorData> tensors = new HashMap<>();
    private final OnnxGraph g = new OnnxGraph("edgetrain");

    private OnnxExport(Model model) {
        this.model = model;
        for (TensorData t : model.tensors()) tensors.put(t.name(), t);
    }

    /** Writes the ONNX file atomically; a layer kind without an ONNX operator is refused by name before anything is written. */
    public static void write(Path file, Model model, String producerVersion) throws IOException {
        byte[] bytes = encode(model, producerVersion);
        AtomicFile.write(file, ByteBuffer.wrap(bytes));
    }

    /** The ModelProto bytes. */
    public static byte[] encode(Model model, String producerVersion) {
        return new OnnxExport(model).build(producerVersion);
    }

    private byte[] build(String producerVersion) {
        int inputs = model.network().inputs();
        g.io(true, INPUT, inputs);
        String x = INPUT;
        Standardizer s = model.standardizer();
        if (!s.isIdentity()) { // x' = (x − mean)/std, fitted on the training data
            x = g.node("Sub", new String[] {x, g.constant("standardize.mean", new long[] {inputs}, s.mean())}, "centered");
            x = g.node("Div", new String[] {x, g.constant("standardize.std", new long[] {inputs}, s.std())}, "standardized");
        }
        List<LayerSpec> layers = model.network().layers();
        int width = inputs;
        for (int i = 0; i < layers.size(); i++) {
            x = layer(layers.get(i), Integer.toString(i), x);
            width = LayerSpec.outputWidth(layers.get(i), width);
        }
        LayerSpec last = layers.get(layers.size() - 1);
        // the loss reads logits, predict gives probabilities: the activation the network leaves to the loss
        if (model.loss() == LossKind.CROSS_ENTROPY && !last.appliedByLoss(LossKind.CROSS_ENTROPY)) {
            x = g.node("Softmax", new String[] {x}, "probabilities", "axis", 1L);
        } else if (model.loss() == LossKind.BCE && !last.appliedByLoss(LossKind.BCE)) {
            x = g.node("Sigmoid", new String[] {x}, "probabilities");
        }
        Standardizer t = model.targetStandardizer();
        if (!t.isIdentity()) { // y = y'·std + mean: back to the targets' units
            x = g.node("Mul", new String[] {x, g.constant("targets.std", new long[] {width}, t.std())}, "scaled");
            x = g.node("Add", new String[] {x, g.constant("targets.mean", new long[] {width}, t.mean())}, "unstandardized");
        }
        g.node("Identity", new String[] {x}, OUTPUT);
        g.io(false, OUTPUT, width);
        return g.model(producerVersion, "edgetrain " + model.network().layersText() + "; loss " + model.loss().configName());
    }

    /**
     * One layer in inference form, as its kind's descriptor exports it ({@link LayerSpec#onnx}); {@code name} is its
     * PyTorch nn.Sequential name, which its tensors carry. A kind without an operator is refused by name.
     */
    private String layer(LayerSpec spec, String name, String x) {
        if (spec.onnxOp() == null) {
            throw new BadInputException("export --format onnx: layer " + name + " '" + spec + "' has no ONNX operator in edgetrain; "
                    + "exportable: " + exportable() + " (export --format safetensors keeps every layer)");
        }
        return spec.onnx(nodes, name, x);
    }

    /** The graph as layer kinds add to it. */
    private final OnnxNodes nodes = new OnnxNodes() {
        @Override
        public String node(String op, String what, String[] inputs, Object... attributes) {
            return g.node(op, inputs, g.fresh(what), attributes);
        }

        @Override
        public String weight(String name) {
            return OnnxExport.this.weight(name);
        }

        @Override
        public String layer(LayerSpec spec, String name, String x) {
            return OnnxExport.this.layer(spec, name, x);
        }
    };

    /** The layer kinds that export, for the refusal: those whose descriptor names an operator. */
    private static String exportable() {
        return String.join(", ", LayerKinds.examples().stream().filter(l -> l.onnxOp() != null).map(LayerSpec::configName).distinct().toList());
    }

    /** A model tensor as an initializer of the same name and shape (added once). */
    private String weight(String name) {
        TensorData t = tensors.remove(name);
        if (t == null) throw new BadInputException("export --format onnx: the model has no tensor " + name);
        long[] dims = new long[t.shape().length];
        for (int i = 0; i < dims.length; i++) dims[i] = t.shape()[i];
        return g.constant(name, dims, t.floats());
    }
}
