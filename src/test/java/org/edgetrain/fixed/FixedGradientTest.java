package org.edgetrain.fixed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.Layer;
import org.edgetrain.nn.LayerProbe;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.Parameter;
import org.edgetrain.nn.Shape;
import org.edgetrain.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
            l.planBackwardScratch(b, BATCH);
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
        String outlier = outlier(what, got, want, sumAbs, frac, steps, extra);
        assertTrue(outlier == null, outlier);
    }

    /** The first element outside the bound of {@link #within}, described, or null when all are inside. */
    static String outlier(String what, double[] got, double[] want, double[] sumAbs, int frac, double steps, double[] extra) {
        double grid = Math.scalb(1.0, -frac);
        for (int i = 0; i < got.length; i++) {
            double bound = steps * grid + 1e-6 * sumAbs[i] + (extra == null ? 0 : extra[i]);
            double err = Math.abs(got[i] - want[i]);
            if (!(err <= bound)) {
                return String.format("%s[%d]: int16 %.6g, fp32 %.6g, error %.3g > bound %.3g (grid step %.3g)", what, i, got[i], want[i], err,
                        bound, grid);
            }
        }
        return null;
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

    static Stream<Arguments> timeLayers() {
        LayerSpec.Padding valid = LayerSpec.Padding.VALID, same = LayerSpec.Padding.SAME, causal = LayerSpec.Padding.CAUSAL;
        return Stream.of(
                Arguments.of("conv1d valid k3", new LayerSpec.Conv1d(4, 3, 1, valid, 1, true)),
                Arguments.of("conv1d valid k1", new LayerSpec.Conv1d(2, 1, 1, valid, 1, true)),
                Arguments.of("conv1d stride 2", new LayerSpec.Conv1d(3, 3, 2, valid, 1, true)),
                Arguments.of("conv1d stride 3 kernel 2 (steps left over)", new LayerSpec.Conv1d(3, 2, 3, valid, 1, true)),
                Arguments.of("conv1d dilation 2", new LayerSpec.Conv1d(3, 3, 1, valid, 2, true)),
                Arguments.of("conv1d dilation 2 stride 2", new LayerSpec.Conv1d(3, 2, 2, valid, 2, true)),
                Arguments.of("conv1d same k3", new LayerSpec.Conv1d(3, 3, 1, same, 1, true)),
                Arguments.of("conv1d same k4 (even: one more on the right)", new LayerSpec.Conv1d(3, 4, 1, same, 1, true)),
                Arguments.of("conv1d same k3 dilation 3", new LayerSpec.Conv1d(2, 3, 1, same, 3, true)),
                Arguments.of("conv1d causal k3", new LayerSpec.Conv1d(3, 3, 1, causal, 1, true)),
                Arguments.of("conv1d causal k2 dilation 2 stride 2", new LayerSpec.Conv1d(3, 2, 2, causal, 2, true)),
                Arguments.of("conv1d no bias", new LayerSpec.Conv1d(3, 3, 1, valid, 1, false)),
                Arguments.of("conv1d 2 to 16 channels (dL/dx gathered in blocks of im2col's size)", new LayerSpec.Conv1d(16, 3, 1, valid, 1, true)),
                Arguments.of("conv1d 2 to 40 channels stride 4 (im2col smaller than a gathered row)", new LayerSpec.Conv1d(40, 2, 4, valid, 1, true)),
                Arguments.of("maxpool1d k2", new LayerSpec.Pool1d(true, 2, 2)),
                Arguments.of("maxpool1d k3 stride 1 (overlapping windows)", new LayerSpec.Pool1d(true, 3, 1)),
                Arguments.of("maxpool1d k2 stride 3 (gaps)", new LayerSpec.Pool1d(true, 2, 3)),
                Arguments.of("avgpool1d k3", new LayerSpec.Pool1d(false, 3, 3)),
                Arguments.of("avgpool1d k3 stride 2", new LayerSpec.Pool1d(false, 3, 2)),
                Arguments.of("global_avgpool1d", new LayerSpec.GlobalAvgPool1d()),
                Arguments.of("upsample1d 3", new LayerSpec.Upsample1d(3)),
                Arguments.of("flatten", new LayerSpec.Flatten()));
    }

    /**
     * Each int16 time layer against its fp32 twin on the same quantized input, weights and dL/d(output): the output,
     * every parameter gradient and dL/d(input), dequantized, within one step of their grids plus the fp32 reference's
     * rounding ({@code 1e-6 · Σ|terms|}, the terms' magnitudes taken from the fp32 layer run on |x|, |w| and |dL/dy|).
     * The fp32 layer sits behind a trainable 1×1 convolution so that it computes dL/d(input). Then the check must catch
     * a wrong gradient: the first gradient scaled by 1.5 has to fail it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("timeLayers")
    void timeLayerOutputAndGradientsMatchTheFp32LayerOnTheSameQuantizedTensors(String what, LayerSpec spec) {
        int time = 9, ch = 2;
        Shape in = new Shape(time, ch, false), outShape = spec.outputShape(in, "1");
        int win = in.width(), wout = outShape.width();
        FixedLayer l = spec.int16Layer(new FixedNetwork.Maker("1", in.width(), in, new Rng(1)));
        Rig rig = new Rig(l, win, wout);
        Rng r = new Rng(19);
        for (FixedParameter p : l.parameters()) p.load(rig.a, toFloats(random(r, p.size, 0.4, false)));
        rig.put(l.x, random(r, BATCH * win, 1.0, false), rig.xf);
        rig.put(l.dy, random(r, BATCH * wout, 0.02, false), rig.dyf);
        rig.run();
        double[] x = rig.real(l.x, BATCH * win, rig.xf), dy = rig.real(l.dy, BATCH * wout, rig.dyf);

        // the fp32 twin: layer 1 of (1×1 conv, the layer), driven directly on the same values
        MemoryPlan.Builder b = MemoryPlan.builder();
        Network net = new Network(NetworkSpec.builder(win).channels(ch).conv1d(ch, 1).add(spec).build(), BATCH, false, 1L, b);
        Arena fa = new Arena(b.build());
        net.bind(fa, new JavaKernels());
        float[] f = fa.data();
        Layer f32 = net.layers().get(1);
        List<FixedParameter> qs = l.parameters();
        double[][] w = new double[qs.size()][];
        Parameter[] ps = new Parameter[qs.size()];
        for (int i = 0; i < qs.size(); i++) {
            FixedParameter q = qs.get(i);
            w[i] = rig.real(q.p, q.size, q.format);
            ps[i] = net.state().stream().filter(p -> p.name().equals(q.name)).findFirst().orElseThrow();
        }
        // magnitudes first: |x| (the real x for max pooling, whose routing must not change), |w|, |dL/dy|
        boolean max = spec instanceof LayerSpec.Pool1d p && p.max();
        copy(max ? x : abs(x), f, LayerProbe.inputOffset(f32));
        for (int i = 0; i < w.length; i++) copy(abs(w[i]), f, ps[i].offset());
        f32.forward(BATCH, true);
        double[] yAbs = read(f, f32.outputOffset(), BATCH * wout);
        copy(abs(dy), f, LayerProbe.outputGradOffset(f32));
        f32.backward(BATCH, false);
        double[] dxAbs = read(f, LayerProbe.inputGradOffset(f32), BATCH * win);
        double[][] gAbs = new double[w.length][];
        for (int i = 0; i < w.length; i++) gAbs[i] = read(f, ps[i].gradOffset(), ps[i].size());
        // then the values
        copy(x, f, LayerProbe.inputOffset(f32));
        for (int i = 0; i < w.length; i++) copy(w[i], f, ps[i].offset());
        f32.forward(BATCH, true);
        copy(dy, f, LayerProbe.outputGradOffset(f32));
        f32.backward(BATCH, false);

        within(what + " output", rig.real(l.y, BATCH * wout, l.outFormat), read(f, f32.outputOffset(), BATCH * wout), yAbs,
                l.outFormat.frac(), 1, null);
        String first = null;
        double[] firstGot = null, firstWant = null, firstAbs = null;
        int firstFrac = 0;
        for (int i = 0; i < w.length; i++) {
            FixedParameter q = qs.get(i);
            double[] got = rig.real(q.g, q.size, q.gradFormat), want = read(f, ps[i].gradOffset(), q.size);
            within(what + " dL/d" + q.name, got, want, gAbs[i], q.gradFormat.frac(), 1, null);
            if (first == null) {
                first = what + " dL/d" + q.name;
                firstGot = got;
                firstWant = want;
                firstAbs = gAbs[i];
                firstFrac = q.gradFormat.frac();
            }
        }
        double[] dx = rig.real(l.dx, BATCH * win, l.dInFormat), dxWant = read(f, LayerProbe.inputGradOffset(f32), BATCH * win);
        within(what + " dL/dx", dx, dxWant, dxAbs, l.dInFormat.frac(), 1, null);
        if (first == null) {
            first = what + " dL/dx";
            firstGot = dx;
            firstWant = dxWant;
            firstAbs = dxAbs;
            firstFrac = l.dInFormat.frac();
        }
        double[] wrong = firstGot.clone();
        for (int i = 0; i < wrong.length; i++) wrong[i] *= 1.5;
        String caught = outlier(first + " ×1.5", wrong, firstWant, firstAbs, firstFrac, 1, null);
        assertTrue(caught != null, first + " scaled by 1.5 passed the check");
    }

    private static double[] abs(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Math.abs(v[i]);
        return out;
    }

    private static double[] read(float[] f, int off, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = f[off + i];
        return out;
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
