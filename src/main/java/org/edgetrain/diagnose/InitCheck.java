package org.edgetrain.diagnose;

import org.edgetrain.monitor.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.nn.Dense;
import org.edgetrain.nn.Layer;
import org.edgetrain.nn.LeakyRelu;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.PRelu;

/**
 * The initial weight scale of every dense layer against the scale that keeps activation variance steady through depth:
 * He ({@code √(2/(1+slope²)) / √fan_in}) before the ReLU family, Xavier ({@code √(2/(fan_in+fan_out))}) otherwise.
 * Far smaller weights make gradients vanish layer by layer; far larger ones make them explode.
 */
public final class InitCheck {
    /** A layer whose weight std is outside [1/x, x] of the recommended scale is a problem. */
    public static final double PROBLEM_FACTOR = 4;
    /** Outside [1/x, x] but inside the problem band: a note. */
    public static final double NOTE_FACTOR = 2;

    private InitCheck() {
    }

    /** Checks the freshly initialized {@code net} (bound to its arena). */
    public static List<Finding> run(Network net, List<String> details) {
        List<Finding> out = new ArrayList<>();
        List<Layer> all = net.allLayers();
        float[] a = net.arena();
        for (int i = 0; i < all.size(); i++) {
            if (!(all.get(i) instanceof Dense d)) continue;
            Layer next = i + 1 < all.size() ? all.get(i + 1) : null;
            int in = d.inputWidth(), outW = d.outputWidth();
            double recommended;
            String scheme;
            if (next instanceof LeakyRelu l) {
                recommended = Math.sqrt(2.0 / (1 + (double) l.slope() * l.slope())) / Math.sqrt(in);
                scheme = "He";
            } else if (next instanceof PRelu) {
                recommended = Math.sqrt(2.0 / (1 + 0.25 * 0.25)) / Math.sqrt(in);
                scheme = "He";
            } else {
                recommended = Math.sqrt(2.0 / (in + outW));
                scheme = "Xavier";
            }
            int off = d.weight().offset(), n = d.weight().size();
            double sum = 0, sq = 0;
            for (int k = 0; k < n; k++) {
                sum += a[off + k];
                sq += (double) a[off + k] * a[off + k];
            }
            double mean = sum / n, std = Math.sqrt(Math.max(0, sq / n - mean * mean));
            double ratio = std / recommended;
            details.add(String.format(Locale.ROOT, "layer %-4s %-16s weight std %.3g, %s suggests %.3g (%.2f×)", d.name(), d.describe(),
                    std, scheme, recommended, ratio));
            if (ratio < 1 / NOTE_FACTOR || ratio > NOTE_FACTOR) {
                boolean problem = ratio < 1 / PROBLEM_FACTOR || ratio > PROBLEM_FACTOR;
                out.add(new Finding(Finding.Kind.INIT_SCALE, problem ? Finding.Severity.PROBLEM : Finding.Severity.NOTE,
                        "layer " + d.name(),
                        String.format(Locale.ROOT, "initial weight std %.3g is %.2f× the %s scale %.3g for %s%s", std, ratio, scheme,
                                recommended, d.describe(), ratio < 1 ? ": gradients shrink through it" : ": gradients grow through it"),
                        "model.init = auto (He before the ReLU family, Xavier otherwise) and no gain, or gain near 1"));
            }
        }
        return out;
    }
}
