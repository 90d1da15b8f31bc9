package org.edgetrain.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.nn.Layer;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/**
 * Backprop's analytic gradients against central finite differences of the loss, tensor by tensor, on a mini-batch of
 * the user's own data with the configured network (dropout set to 0 so every forward is the same function).
 *
 * <p>The network is fp32, so the check works in fp32 too: for each trainable tensor it perturbs the
 * {@link #ELEMENTS} elements with the largest analytic gradient (where rounding matters least) by ±{@link #H} and
 * compares the two vectors by {@code ‖a − n‖ / max(‖a‖, ‖n‖)}. Measured on healthy networks (dense, LeakyReLU,
 * sigmoid, tanh, batch norm, residual, PReLU) this stays below 4e-2 (kinks of LeakyReLU crossed by the perturbation and fp32 rounding); a gradient scaled by 1.5 or of the wrong sign
 * gives 0.3 to 2. A tensor whose largest gradient is below {@link #TINY} cannot be checked in fp32 and is skipped
 * (that is itself a sign of vanishing gradients).
 */
public final class GradientCheck {
    public static final int ELEMENTS = 12;
    public static final float H = 1e-3f;
    public static final double TOLERANCE = 0.1;
    public static final double TINY = 1e-4;

    /** One tensor's verdict; {@code error} is NaN when skipped. */
    public record Result(String tensor, String layer, double error, int checked, boolean passed, boolean skipped) {
        public String line() {
            if (skipped) return String.format(Locale.ROOT, "%-14s skipped: largest gradient below %.0e", tensor, TINY);
            return String.format(Locale.ROOT, "%-14s relative error %.2e over %d elements: %s", tensor, error, checked,
                    passed ? "ok" : "WRONG");
        }
    }

    private GradientCheck() {
    }

    /** Runs the check on the first {@code rows} rows of a standardized dataset. */
    public static List<Result> run(NetworkSpec net, TrainingSpec spec, Dataset data, int rows) {
        int n = Math.min(rows, data.rows());
        Trainer t = new Trainer(withoutDropout(net), spec.withBatch(n), new JavaKernels());
        float[] x = data.x(), y = data.y();
        t.lossAndGradients(x, 0, y, 0, n, true);
        float[] a = t.arena().data();
        List<Result> out = new ArrayList<>();
        for (Parameter p : t.network().state()) {
            if (p.kind() != Parameter.Kind.TRAINABLE) continue;
            int size = p.size();
            int[] pick = largest(a, p.gradOffset(), size, Math.min(ELEMENTS, size));
            double[] analytic = new double[pick.length];
            double maxAbs = 0;
            for (int k = 0; k < pick.length; k++) {
                analytic[k] = a[p.gradOffset() + pick[k]];
                maxAbs = Math.max(maxAbs, Math.abs(analytic[k]));
            }
            String layer = layerName(t, p);
            if (maxAbs < TINY) {
                out.add(new Result(p.name(), layer, Double.NaN, 0, true, true));
                continue;
            }
            double diff = 0, na = 0, nn = 0;
            for (int k = 0; k < pick.length; k++) {
                int at = p.offset() + pick[k];
                float w = a[at];
                a[at] = w + H;
                double plus = t.lossAndGradients(x, 0, y, 0, n, false);
                a[at] = w - H;
                double minus = t.lossAndGradients(x, 0, y, 0, n, false);
                a[at] = w;
                double numeric = (plus - minus) / (2.0 * H);
                diff += (analytic[k] - numeric) * (analytic[k] - numeric);
                na += analytic[k] * analytic[k];
                nn += numeric * numeric;
            }
            double error = Math.sqrt(diff) / Math.max(Math.sqrt(Math.max(na, nn)), 1e-30);
            out.add(new Result(p.name(), layer, error, pick.length, error < TOLERANCE, false));
        }
        return out;
    }

    /** The layer a tensor belongs to, as {@code 2 (dense 64→32)}. */
    private static String layerName(Trainer t, Parameter p) {
        String name = p.layer();
        for (Layer l : t.network().allLayers()) if (l.name().equals(name)) return name + " (" + l.describe() + ")";
        return name;
    }

    /** Indices of the {@code k} largest |values| in {@code a[off .. off+n)}. */
    private static int[] largest(float[] a, int off, int n, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            float v = Math.abs(a[off + i]);
            if (filled < k) {
                best[filled++] = i;
                continue;
            }
            int min = 0;
            for (int j = 1; j < k; j++) if (Math.abs(a[off + best[j]]) < Math.abs(a[off + best[min]])) min = j;
            if (v > Math.abs(a[off + best[min]])) best[min] = i;
        }
        return best;
    }

    /** The same network with every dropout rate set to 0: the same tensors and names, a deterministic forward. */
    static NetworkSpec withoutDropout(NetworkSpec net) {
        return new NetworkSpec(net.inputs(), net.channels(), noDropout(net.layers()), net.frozen());
    }

    private static List<LayerSpec> noDropout(List<LayerSpec> layers) {
        return layers.stream().map(LayerSpec::withoutDropout).toList();
    }
}
