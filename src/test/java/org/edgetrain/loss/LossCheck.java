package org.edgetrain.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;

/**
 * A loss run inside one arena at odd offsets (z at 3, targets and gradient after it with gaps of sentinel values that
 * must survive), and its gradient checked against central differences of an independent double formula.
 */
final class LossCheck {
    static final Kernels KERNELS = new JavaKernels();
    static final float SENTINEL = -12345.5f;

    final float[] a;
    final int z, t, dz, batch, n, tw;

    LossCheck(float[] logits, float[] targets, int batch, int n) {
        this.batch = batch;
        this.n = n;
        this.tw = targets.length / batch;
        this.z = 3;
        this.t = z + logits.length + 5;
        this.dz = t + targets.length + 7;
        this.a = new float[dz + logits.length + 3];
        Arrays.fill(a, SENTINEL);
        System.arraycopy(logits, 0, a, z, logits.length);
        System.arraycopy(targets, 0, a, t, targets.length);
    }

    float forwardBackward(Loss loss) {
        float l = loss.forwardBackward(KERNELS, a, z, t, dz, batch, n);
        for (int i = 0; i < a.length; i++) {
            boolean written = i >= dz && i < dz + batch * n;
            boolean input = (i >= z && i < z + batch * n) || (i >= t && i < t + batch * tw);
            if (!written && !input) assertEquals(SENTINEL, a[i], "loss wrote outside its gradient at " + i);
        }
        return l;
    }

    float[] gradient() {
        return Arrays.copyOfRange(a, dz, dz + batch * n);
    }

    /** The float gradient matches central differences of {@code reference(z)} at the float inputs. */
    void assertGradientMatches(String what, ToDoubleFunction<double[]> reference, double rtol) {
        double[] x = new double[batch * n];
        for (int i = 0; i < x.length; i++) x[i] = a[z + i];
        double h = 1e-6, largest = 0;
        double[] numeric = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = reference.applyAsDouble(x);
            x[i] = keep - h;
            double down = reference.applyAsDouble(x);
            x[i] = keep;
            numeric[i] = (up - down) / (2 * h);
            largest = Math.max(largest, Math.abs(numeric[i]));
        }
        for (int i = 0; i < x.length; i++) {
            double got = a[dz + i];
            double allowed = rtol * Math.abs(numeric[i]) + 1e-4 * largest + 1e-12;
            assertTrue(Math.abs(got - numeric[i]) <= allowed, String.format(java.util.Locale.ROOT,
                    "%s batch=%d n=%d: dL/dz[%d] = %.9g, finite differences give %.9g", what, batch, n, i, got, numeric[i]));
        }
    }

    double[] targetsAsDouble() {
        double[] d = new double[batch * tw];
        for (int i = 0; i < d.length; i++) d[i] = a[t + i];
        return d;
    }
}
