package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.io.Safetensors;

/**
 * {@code edgetrain export}: a model's tensors as safetensors with PyTorch nn.Sequential names, loadable with
 * {@code model.load_state_dict(safetensors.torch.load_file(path))}. The standardization and architecture travel in
 * the header's metadata.
 */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a model's weights as PyTorch-compatible safetensors";
    }

    @Override
    public String usage() {
        return """
                edgetrain export --model FILE --out FILE.safetensors
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("model", "out"), Set.of());
        Path modelFile = args.requirePath("model", "model.etm");
        Path outFile = args.requirePath("out", "model.safetensors");
        Model m = ModelFile.read(modelFile);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("edgetrain.inputs", Integer.toString(m.network().inputs()));
        meta.put("edgetrain.layers", m.network().layersText());
        meta.put("edgetrain.loss", m.loss().configName());
        meta.put("edgetrain.features", String.join(",", m.features()));
        meta.put("edgetrain.targets", String.join(",", m.targets()));
        meta.put("edgetrain.standardize.mean", join(m.standardizer().mean()));
        meta.put("edgetrain.standardize.std", join(m.standardizer().std()));
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
