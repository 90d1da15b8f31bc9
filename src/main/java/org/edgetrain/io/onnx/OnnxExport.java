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
import org.edgetrain.nn.LayerSpec;
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
            x = layer(layers.get(i), Integer.toString(i), x, width);
            width = LayerSpec.outputWidth(layers.get(i), width);
        }
        LayerSpec last = layers.get(layers.size() - 1);
        // the loss reads logits, predict gives probabilities: the activation the network leaves to the loss
        if (model.loss() == LossKind.CROSS_ENTROPY && !(last instanceof LayerSpec.Softmax)) {
            x = g.node("Softmax", new String[] {x}, "probabilities", "axis", 1L);
        } else if (model.loss() == LossKind.BCE && !(last instanceof LayerSpec.Sigmoid)) {
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
     * One layer in inference form; {@code name} is its PyTorch nn.Sequential name, which its tensors carry. The one
     * place that maps layer kinds to ONNX operators: Conv1d (Conv on [N, C, L]) and GRU (GRU on [L, N, C]) go here.
     */
    private String layer(LayerSpec spec, String name, String x, int width) {
        if (spec instanceof LayerSpec.Dense d) {
            // y = x·Wᵀ + b: Gemm with transB, W stored [out, in] as nn.Linear
            String w = weight(name + ".weight");
            return d.bias() ? g.node("Gemm", new String[] {x, w, weight(name + ".bias")}, g.fresh("dense"), "transB", 1L)
                    : g.node("Gemm", new String[] {x, w}, g.fresh("dense"), "transB", 1L);
        }
        if (spec instanceof LayerSpec.LeakyRelu l) {
            return l.slope() == 0f ? g.node("Relu", new String[] {x}, g.fresh("relu"))
                    : g.node("LeakyRelu", new String[] {x}, g.fresh("leaky_relu"), "alpha", l.slope());
        }
        if (spec instanceof LayerSpec.Relu) return g.node("Relu", new String[] {x}, g.fresh("relu"));
        if (spec instanceof LayerSpec.PRelu) return g.node("PRelu", new String[] {x, weight(name + ".weight")}, g.fresh("prelu"));
        if (spec instanceof LayerSpec.Sigmoid) return g.node("Sigmoid", new String[] {x}, g.fresh("sigmoid"));
        if (spec instanceof LayerSpec.Tanh) return g.node("Tanh", new String[] {x}, g.fresh("tanh"));
        if (spec instanceof LayerSpec.Softmax) return g.node("Softmax", new String[] {x}, g.fresh("softmax"), "axis", 1L);
        if (spec instanceof LayerSpec.Dropout) return x; // identity at inference
        if (spec instanceof LayerSpec.BatchNorm b) {
            return g.node("BatchNormalization", new String[] {x, weight(name + ".weight"), weight(name + ".bias"),
                    weight(name + ".running_mean"), weight(name + ".running_var")}, g.fresh("batchnorm"), "epsilon", b.eps());
        }
        if (spec instanceof LayerSpec.Residual r) { // y = x + f(x)
            String y = x;
            for (int k = 0; k < r.block().size(); k++) y = layer(r.block().get(k), name + "." + k, y, width);
            return g.node("Add", new String[] {x, y}, g.fresh("residual"));
        }
        throw new BadInputException("export --format onnx: layer " + name + " '" + spec + "' has no ONNX operator in edgetrain; "
                + "exportable: dense, relu, leaky_relu, prelu, sigmoid, tanh, softmax, dropout, batchnorm, residual "
                + "(export --format safetensors keeps every layer)");
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
