package org.edgetrain.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgetrain.nn.TensorData;

/**
 * Decides whether an incoming weight file may replace a member's trainable tensors: exactly the member's names, each
 * with its shape, floating point, every value finite. Returns the reason for the first problem, or null; nothing is
 * copied before every tensor has passed, so a refused file changes nothing.
 */
final class WeightCheck {
    private WeightCheck() {
    }

    static String problem(List<TensorData> incoming, List<FleetMember.TensorShape> expected) {
        Map<String, TensorData> byName = new LinkedHashMap<>();
        for (TensorData t : incoming) byName.put(t.name(), t);
        List<String> missing = new ArrayList<>();
        for (FleetMember.TensorShape e : expected) {
            TensorData t = byName.remove(e.name());
            if (t == null) {
                missing.add(e.name());
                continue;
            }
            if (!t.isFloat()) return "tensor " + e.name() + " is integer; allowed: floating point";
            if (!Arrays.equals(t.shape(), e.shape())) {
                return "tensor " + e.name() + " has shape " + t.shapeText() + "; this member expects " + Arrays.toString(e.shape());
            }
            float[] v = t.floats();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) return "tensor " + e.name() + " holds a non-finite value (" + v[i] + " at element " + i + ")";
            }
        }
        if (!missing.isEmpty()) return "missing tensor(s) " + String.join(", ", missing) + "; this member expects " + names(expected);
        if (!byName.isEmpty()) {
            return "unexpected tensor(s) " + String.join(", ", byName.keySet()) + "; this member expects " + names(expected)
                    + " (frozen tensors and buffers stay home)";
        }
        return null;
    }

    private static String names(List<FleetMember.TensorShape> expected) {
        List<String> n = new ArrayList<>();
        for (FleetMember.TensorShape e : expected) n.add(e.name());
        return String.join(", ", n);
    }
}
