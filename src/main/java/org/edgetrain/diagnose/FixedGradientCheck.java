package org.edgetrain.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.fixed.JavaFixedKernels;
import org.edgetrain.fixed.Rounding;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.nn.TensorData;
import org.edgetrain.train.FixedTrainer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.train.Dataset;

/**
 * The int16 gradients against fp32 ones on the same weights: the fixed-point network computes its gradients on a
 * mini-batch of the user's data, an fp32 network is loaded with the very same (dequantized) weights and computes its
 * own, and each tensor's two gradients are compared by {@code ‖q − f‖ / max(‖q‖, ‖f‖)}. Dropout is set to 0 so both
 * run the same function. What differs is only int16 rounding of the inputs, activations and gradients (a few grid
 * steps of 2^-12 relative); a gradient off by a constant factor (1.5×: 0.33) or of the wrong sign (2) stands out,
 * which end accuracy alone would not show, since the learning rate absorbs a constant scale.
 */
public final class FixedGradientCheck {
    /** Relative error above which a tensor's int16 gradient is wrong; healthy networks measure below 2e-2. */
    public static final double TOLERANCE = 0.1;

    private FixedGradientCheck() {
    }

    public static List<GradientCheck.Result> run(NetworkSpec net, TrainingSpec spec, Rounding rounding, Dataset data, int rows) {
        int n = Math.min(rows, data.rows());
        NetworkSpec plain = GradientCheck.withoutDropout(net);
        TrainingSpec one = spec.withBatch(n);
        FixedTrainer q = new FixedTrainer(plain, one, new JavaFixedKernels(), rounding);
        q.lossAndGradients(data.x(), 0, data.y(), 0, n);
        List<TensorData> gq = q.exportGradients();
        Trainer f = new Trainer(plain, one, new JavaKernels());
        f.importTensors(q.exportTensors(), "the int16 weights");
        f.lossAndGradients(data.x(), 0, data.y(), 0, n, true);
        float[] a = f.arena().data();
        List<GradientCheck.Result> out = new ArrayList<>();
        for (TensorData t : gq) {
            Parameter p = f.network().state().stream().filter(s -> s.name().equals(t.name())).findFirst().orElseThrow();
            double diff = 0, nq = 0, nf = 0;
            for (int i = 0; i < t.size(); i++) {
                double gi = t.floats()[i], fi = a[p.gradOffset() + i];
                diff += (gi - fi) * (gi - fi);
                nq += gi * gi;
                nf += fi * fi;
            }
            double norm = Math.sqrt(Math.max(nq, nf));
            if (norm < GradientCheck.TINY) {
                out.add(new GradientCheck.Result(t.name(), p.layer(), Double.NaN, 0, true, true));
                continue;
            }
            double error = Math.sqrt(diff) / norm;
            out.add(new GradientCheck.Result(t.name(), p.layer(), error, t.size(), error < TOLERANCE, false));
        }
        return out;
    }

    /** One line of the doctor's report. */
    static String line(GradientCheck.Result r) {
        if (r.skipped()) return String.format(Locale.ROOT, "%-14s int16: skipped, gradient norm below %.0e", r.tensor(), GradientCheck.TINY);
        return String.format(Locale.ROOT, "%-14s int16 vs fp32 on the same weights: relative error %.2e over %d elements: %s", r.tensor(),
                r.error(), r.checked(), r.passed() ? "ok" : "WRONG");
    }
}
