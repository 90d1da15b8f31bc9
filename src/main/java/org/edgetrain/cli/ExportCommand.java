package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.io.Model;
import org.edgetrain.io.onnx.OnnxExport;
import org.edgetrain.io.ModelFile;
import org.edgetrain.io.Safetensors;

/**
 * {@code edgetrain export}: a model's tensors as safetensors with PyTorch nn.Sequential names, loadable with
 * {@code model.load_state_dict(safetensors.torch.load_file(path))} (the standardization and architecture travel in
 * the header's metadata); or, with {@code --format onnx}, the whole model as an ONNX graph that computes what
 * {@code predict} prints (see {@link OnnxExport}).
 */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a model as PyTorch-compatible safetensors or as ONNX";
    }

    @Override
    public String usage() {
        return """
                edgetrain export --model FILE --out FILE [--format safetensors|onnx]
                  --format  safetensors (default; the weights with PyTorch names) or onnx (the whole model:
                            standardization, layers, output activation, target scale; default when --out ends in .onnx)
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("model", "out", "format"), Set.of());
        Path modelFile = args.requirePath("model", "model.etm");
        Path outFile = args.requirePath("out", "model.safetensors");
        String format = args.has("format") ? args.get("format") : outFile.toString().endsWith(".onnx") ? "onnx" : "safetensors";
        if (!format.equals("onnx") && !format.equals("safetensors")) {
            throw new BadInputException("export: --format " + format + "; allowed: safetensors, onnx");
        }
        Model m = ModelFile.read(modelFile);
        if (format.equals("onnx")) {
            OnnxExport.write(outFile, m, Main.version());
            out.println("wrote ONNX model " + outFile + " (input '" + OnnxExport.INPUT + "' [N, " + m.network().inputs() + "], output '"
                    + OnnxExport.OUTPUT + "' [N, " + m.network().outputs() + "], opset 17)");
            return 0;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("edgetrain.inputs", Integer.toString(m.network().inputs()));
        meta.put("edgetrain.layers", m.network().layersText());
        meta.put("edgetrain.loss", m.loss().configName());
        meta.put("edgetrain.features", String.join(",", m.features()));
        meta.put("edgetrain.targets", String.join(",", m.targets()));
        meta.put("edgetrain.standardize.mean", join(m.standardizer().mean()));
        meta.put("edgetrain.standardize.std", join(m.standardizer().std()));
        if (!m.targetStandardizer().isIdentity()) { // outputs are (y − mean)/std: a user of the weights undoes it
            meta.put("edgetrain.target_standardize.mean", join(m.targetStandardizer().mean()));
            meta.put("edgetrain.target_standardize.std", join(m.targetStandardizer().std()));
        }
        Safetensors.write(outFile, m.tensors(), meta);
        out.println("wrote " + m.tensors().size() + " tensors to " + outFile + " (" + String.join(", ", m.tensorNames()) + ")");
        return 0;
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.toString();
    }
}
