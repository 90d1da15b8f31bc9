package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * Every fixed-point layer and loss against fp32 on the same quantized weights, inputs and output gradients: the int16
 * gradients, dequantized, must lie within a bound derived from grid steps. The int16 kernels sum products exactly
 * (64-bit) and narrow once, so the bound is one step of the gradient's grid (rounding: ≤ ½ step to nearest, < 1 step
 * stochastic), plus the fp32 reference's own rounding ({@code 1e-6 · Σ|terms|}); for layers that multiply by a Q15
 * coefficient (leaky ReLU slope, dropout gain) add the coefficient's error times |dL/dy|. A gradient off by a constant
 * factor (1.5×) is thousands of steps away, since each gradient format puts the largest value in (¼, ½] of the int16
 * range.
 */
class FixedGradientTest {
    static final int BATCH = 5, IN = 7, OUT = 6;

    /** One fixed-point layer planned alone: int16 input, dL/d(output), dL/d(input), formats given. */
    static final class Rig {
        final FixedLayer layer;
        final short[] a;
        final QFormat xf = new QFormat("x", 12, false), dyf = new QFormat("dy", 12, false);

        Rig(FixedLayer l, int in, int out) {
            this.layer = l;
            MemoryPlan.Builder b = MemoryPlan.builder();
            l.inputSlot = b.add(ElementType.I16, Region.INPUTS, "t", "x", BATCH * in);
            l.inFormat = xf;
            l.plan(b, BATCH);
            l.dOutSlot = b.add(ElementType.I16, Region.ACTIVATION_GRADIENTS, "t", "dy", BATCH * out);
            l.dOutFormat = dyf;
            l.dInSlot = b.add(ElementType.I16, Region.ACTIVATION_GRADIENTS, "t", "dx", BATCH * in);
            l.planBackward();
            Arena arena = new Arena(b.build());
            this.a = arena.shorts();
            l.bind(a, new JavaFixedKernels());
        }

        /** Quantizes {@code v} into the slot at {@code off} with {@code f} fitted to its range. */
        void put(int off, double[] v, QFormat f) {
            double max = 0;
            for (double d : v) max = Math.max(max, Math.abs(d));
            f.fitReal(max);
            for (int i = 0; i < v.length; i++) a[off + i] = f.quantize((float) v[i]);
            f.clear();
        }

        double[] real(int off, int n, QFormat f) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = f.real(a[off + i]);
            return out;
        }

        /** Forward and backward, twice: the first pass fits the gradient formats to what they receive, as calibration does. */
        void run() {
            for (int pass = 0; pass < 2; pass++) {
                layer.forward(BATCH, true);
                layer.backward(BATCH);
                for (QFormat q : layer.ownFormats()) q.fitObserved();
            }
            layer.forward(BATCH, true);
            layer.backward(BATCH);
        }
    }

    static double[] random(Rng r, int n, double scale, boolean nonZero) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextGaussian();
            if (nonZero && Math.abs(v[i]) < 0.05 * scale) v[i] = 0.05 * scale * (v[i] < 0 ? -1 : 1);
        }
        return v;
    }

    /** |got − want| ≤ steps·2^−frac + 1e-6·sumAbs (+ extra) for every element, with a message naming the first outlier. */
    static void within(String what, double[] got, double[] want, double[] sumAbs, int frac, double steps, double[] extra) {
        double grid = Math.scalb(1.0, -frac);
        for (int i = 0; i < got.length; i++) {
            double bound = steps * grid + 1e-6 * sumAbs[i] + (extra == null ? 0 : extra[i]);
            double err = Math.abs(got[i] - want[i]);
            assertTrue(err <= bound, String.format("%s[%d]: int16 %.6g, fp32 %.6g, error %.3g > bound %.3g (grid step %.3g)", what, i,
                    got[i], want[i], err, bound, grid));
        }
    }

    @Test
    void denseWeightBiasAndInputGradientsMatchTheFp32DenseOnTheSameQuantizedTensors() {
        Rng r = new Rng(7);
        FixedDense d = new FixedDense("0", IN, OUT, true);
        Rig rig = new Rig(d, IN, OUT);
        d.weight.load(rig.a, toFloats(random(r, OUT * IN, 0.4, false)));
        d.bias.load(rig.a, toFloats(random(r, OUT, 0.1, false)));
        rig.put(d.x, random(r, BATCH * IN, 1.0, false), rig.xf);
        rig.put(d.dy, random(r, BATCH * OUT, 0.02, false), rig.dyf);
        rig.run();

        double[] x = rig.real(d.x, BATCH * IN, rig.xf), dy = rig.real(d.dy, BATCH * OUT, rig.dyf);
        double[] w = rig.real(d.weight.p, OUT * IN, d.weight.format), bias = rig.real(d.bias.p, OUT, d.bias.format);

        // the fp32 Dense, through an fp32 network of that one layer, on the same (dequantized) values
        MemoryPlan.Builder b = MemoryPlan.builder();
        Network net = new Network(NetworkSpec.builder(IN).dense(OUT).build(), BATCH, false, 1L, b);
        Arena fa = new Arena(b.build());
        net.bind(fa, new JavaKernels());
        float[] f = fa.data();
        List<Parameter> ps = net.state();
        copy(w, f, ps.get(0).offset());
        copy(bias, f, ps.get(1).offset());
        copy(x, f, net.inputOffset());
        net.forward(BATCH, true);
        copy(dy, f, net.lossGradOffset());
        net.backward(BATCH, false);
        double[] dw32 = new double[OUT * IN], db32 = new double[OUT];
        for (int i = 0; i < dw32.length; i++) dw32[i] = f[ps.get(0).gradOffset() + i];
        for (int i = 0; i < OUT; i++) db32[i] = f[ps.get(1).gradOffset() + i];
        // fp32 writes no input gradient for a first layer: dL/dx = dL/dy · W, in double on the same values
        double[] dx64 = new double[BATCH * IN], dxAbs = new double[BATCH * IN], dwAbs = new double[OUT * IN], dbAbs = new double[OUT];
        for (int n = 0; n < BATCH; n++) {
            for (int o = 0; o < OUT; o++) {
                for (int i = 0; i < IN; i++) {
                    dx64[n * IN + i] += dy[n * OUT + o] * w[o * IN + i];
                    dxAbs[n * IN + i] += Math.abs(dy[n * OUT + o] * w[o * IN + i]);
                    dwAbs[o * IN + i] += Math.abs(dy[n * OUT + o] * x[n * IN + i]);
                }
                dbAbs[o] += Math.abs(dy[n * OUT + o]);
            }
        }
        within("dense dL/dW", rig.real(d.weight.g, OUT * IN, d.weight.gradFormat), dw32, dwAbs, d.weight.gradFormat.frac(), 1, null);
        within("dense dL/db", rig.real(d.bias.g, OUT, d.bias.gradFormat), db32, dbAbs, d.bias.gradFormat.frac(), 1, null);
        within("dense dL/dx", rig.real(d.dx, BATCH * IN, d.dInFormat), dx64, dxAbs, d.dInFormat.frac(), 1, null);
    }

    @Test
    void leakyReluAndReluInputGradientsMatchFp32() {
        for (float slope : new float[] {0.01f, 0f, 0.2f}) {
            Rng r = new Rng(11);
            FixedLeakyRelu l = new FixedLeakyRelu("1", IN, slope);
            Rig rig = new Rig(l, IN, IN);
            rig.put(l.x, random(r, BATCH * IN, 1.0, true), rig.xf);
            rig.put(l.dy, random(r, BATCH * IN, 0.02, false), rig.dyf);
            rig.run();
            double[] x = rig.real(l.x, BATCH * IN, rig.xf), dy = rig.real(l.dy, BATCH * IN, rig.dyf);
            double[] want = new double[x.length], abs = new double[x.length], coeff = new double[x.length];
            double slopeError = Math.abs(Math.rint(slope * 32768.0) / 32768.0 - slope); // the slope as a Q15 coefficient
            for (int i = 0; i < x.length; i++) {
                want[i] = x[i] > 0 ? dy[i] : slope * dy[i]; // the fp32 LeakyRelu: dL/dx = dL/dy · (x > 0 ? 1 : slope)
                abs[i] = Math.abs(want[i]);
                coeff[i] = slopeError * Math.abs(dy[i]);
            }
            within("leaky_relu(" + slope + ") dL/dx", rig.real(l.dx, x.length, l.dInFormat), want, abs, l.dInFormat.frac(), 1, coeff);
        }
    }

    @Test
    void dropoutInputGradientMatchesFp32OnTheSameMask() {
        Rng r = new Rng(13);
        float rate = 0.3f;
        FixedDropout l = new FixedDropout("2", IN, rate, new Rng(5));
        Rig rig = new Rig(l, IN, IN);
        rig.put(l.x, random(r, BATCH * IN, 1.0, true), rig.xf);
        rig.put(l.dy, random(r, BATCH * IN, 0.02, false), rig.dyf);
        rig.run();
        double[] y = rig.real(l.y, BATCH * IN, rig.xf), dy = rig.real(l.dy, BATCH * IN, rig.dyf);
        double gain = 1.0 / (1.0 - rate), gainError = Math.abs(Coefficient.mantissa(gain) * Math.scalb(1.0, -Coefficient.shift(gain)) - gain);
        double[] want = new double[y.length], abs = new double[y.length], coeff = new double[y.length];
        int dropped = 0;
        for (int i = 0; i < y.length; i++) {
            boolean kept = y[i] != 0; // every input is non-zero, so a zero output is a dropped unit
            if (!kept) dropped++;
            want[i] = kept ? dy[i] * gain : 0; // the fp32 Dropout: dL/dx = dL/dy · mask / (1 − rate)
            abs[i] = Math.abs(want[i]);
            coeff[i] = kept ? gainError * Math.abs(dy[i]) : 0;
        }
        assertTrue(dropped > 0 && dropped < y.length, "the mask drops some units and keeps others: " + dropped);
        within("dropout dL/dx", rig.real(l.dx, y.length, l.dInFormat), want, abs, l.dInFormat.frac(), 1, coeff);
    }

    @Test
    void everyLossGradientQuantizesTheFp32LossGradientToTheNearestStep() {
        for (LossKind kind : LossKind.values()) {
            Rng r = new Rng(17);
            int n = OUT;
            Loss fp32 = Loss.of(kind, 1f);
            int tw = fp32.targetWidth(n);
            // [logits | targets | dlogits] in one float array, as both losses read it
            float[] f = new float[BATCH * n + BATCH * tw + BATCH * n];
            int z = 0, t = BATCH * n, dz = t + BATCH * tw;
            QFormat logits = new QFormat("z", 12, false);
            for (int i = 0; i < BATCH * n; i++) f[z + i] = logits.real(logits.quantize((float) r.nextGaussian())); // int16 logits, dequantized
            for (int row = 0; row < BATCH; row++) {
                for (int j = 0; j < tw; j++) {
                    f[t + row * tw + j] = kind == LossKind.CROSS_ENTROPY ? r.nextInt(n) : kind == LossKind.BCE ? r.nextInt(2) : (float) r.nextGaussian();
                }
            }
            float[] g = f.clone();
            new OutputLoss(fp32).forwardBackward(f, z, t, dz, BATCH, n);
            fp32.forwardBackward(new JavaKernels(), g, z, t, dz, BATCH, n);
            // the int16 network receives dL/dz quantized on its own grid, fitted like the trainer's calibration does
            QFormat grad = new QFormat("dz", 12, false);
            double max = 0;
            for (int i = 0; i < BATCH * n; i++) max = Math.max(max, Math.abs(f[dz + i]));
            grad.fitReal(max);
            double[] got = new double[BATCH * n], want = new double[BATCH * n], abs = new double[BATCH * n];
            for (int i = 0; i < BATCH * n; i++) {
                got[i] = grad.real(grad.quantize(f[dz + i]));
                want[i] = g[dz + i];
                abs[i] = Math.abs(want[i]);
            }
            within(kind.configName() + " dL/dz", got, want, abs, grad.frac(), 0.5, null);
        }
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static void copy(double[] v, float[] f, int off) {
        for (int i = 0; i < v.length; i++) f[off + i] = (float) v[i];
    }
}
