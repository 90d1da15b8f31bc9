package org.edgetrain.io;

import org.edgetrain.nn.TensorData;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a safetensors file holds: its tensors in the order of their bytes in the file (so a read followed by a write
 * lays them out the same way), and the string-to-string {@code __metadata__} in header order (empty when absent).
 */
public record SafetensorsFile(List<TensorData> tensors, Map<String, String> metadata) {

    public SafetensorsFile {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The tensor with this name, e.g. {@code "0.weight"} as PyTorch's {@code state_dict()} names it. */
    public Optional<TensorData> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
