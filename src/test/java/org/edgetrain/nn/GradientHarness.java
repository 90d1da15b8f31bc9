package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;

/**
 * Runs one float forward/loss/backward of a {@link Network} and checks it against central finite differences of the
 * double {@link ReferenceNet}: parameter gradients, the input gradient of a chosen top-level layer, and the forward
 * output. Parameters, buffers, inputs and targets are random (seeded), so a bias that is never added or a γ that is
 * never multiplied shows.
 */
final class GradientHarness {
    /** Finite-difference step in double: truncation ~h², round-off ~1e-16/h, both far below the float error. */
    static final double H = 1e-6;

    final NetworkSpec spec;
    final int batch;
    final LossKind kind;
    final Loss loss;
    final Network net;
    final MemoryPlan plan;
    final Arena arena;
    final float[] a;
    final int targets;
    final int targetWidth;
    final Kernels kernels = new JavaKernels();
    float[] x;
    float[] t;
    /** State as it was before the last {@link #run} (running statistics move during a training forward). */
    Map<String, double[]> stateBefore;

    GradientHarness(NetworkSpec spec, int batch, LossKind kind, long seed) {
        this.spec = spec;
        this.batch = batch;
        this.kind = kind;
        MemoryPlan.Builder b = MemoryPlan.builder();
        boolean fuse = kind == LossKind.CROSS_ENTROPY || kind == LossKind.BCE;
        this.net = new Network(spec, batch, fuse, seed, b);
        this.loss = Loss.of(kind, 1f);
        this.targetWidth = loss.targetWidth(net.lossWidth());
        Slot ts = b.add(Region.INPUTS, "test", "targets", batch * targetWidth);
        this.plan = b.build();
        this.arena = new Arena(plan);
        net.bind(arena, kernels);
        this.a = arena.data();
        this.targets = ts.offset();
    }

    /** Random parameters, buffers, inputs in [−scale, scale] and targets. */
    GradientHarness randomize(long seed, double inputScale) {
        Random r = new Random(seed);
        for (Parameter p : net.state()) {
            if (p.isCounter()) continue;
            LayerSpec owner = specOf(p.name().substring(0, p.name().lastIndexOf('.')));
            String suffix = p.name().substring(p.name().lastIndexOf('.') + 1);
            for (int i = 0; i < p.size(); i++) {
                double v;
                if (owner instanceof LayerSpec.BatchNorm) {
                    v = switch (suffix) {
                        case "weight" -> 0.5 + r.nextDouble();
                        case "running_var" -> 0.5 + 1.5 * r.nextDouble();
                        default -> r.nextDouble() - 0.5;
                    };
                } else if (owner instanceof LayerSpec.PRelu) {
                    v = 0.05 + 0.45 * r.nextDouble();
                } else if (suffix.equals("weight")) {
                    v = (2 * r.nextDouble() - 1) * 1.5 / Math.sqrt(p.shape()[1]);
                } else {
                    v = r.nextDouble() - 0.5;
                }
                a[p.offset() + i] = (float) v;
            }
        }
        x = new float[batch * spec.inputs()];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((2 * r.nextDouble() - 1) * inputScale);
        t = new float[batch * targetWidth];
        int n = net.lossWidth();
        for (int i = 0; i < t.length; i++) {
            t[i] = switch (kind) {
                case CROSS_ENTROPY -> r.nextInt(n);
                case BCE -> r.nextBoolean() ? 1f : 0f;
                default -> (float) (2 * r.nextDouble() - 1);
            };
        }
        return this;
    }

    /** The spec of a layer named like {@code "3"} or {@code "3.0"}. */
    LayerSpec specOf(String name) {
        List<LayerSpec> layers = spec.layers();
        LayerSpec s = null;
        for (String part : name.split("\\.")) {
            s = layers.get(Integer.parseInt(part));
            if (s instanceof LayerSpec.Residual r) layers = r.block();
        }
        return s;
    }

    /** Float forward, loss (gradient into the network's loss-gradient slot), zeroed gradients, backward. */
    float run(boolean training) {
        return run(training, batch);
    }

    /** As {@link #run(boolean)} over the first {@code rows} rows of {@link #x} and {@link #t} (a partial batch). */
    float run(boolean training, int rows) {
        stateBefore = state();
        System.arraycopy(x, 0, a, net.inputOffset(), rows * spec.inputs());
        System.arraycopy(t, 0, a, targets, rows * targetWidth);
        net.forward(rows, training);
        float l = loss.forwardBackward(kernels, a, net.lossInputOffset(), targets, net.lossGradOffset(), rows,
                net.lossWidth());
        net.zeroGradients();
        net.backward(rows);
        return l;
    }

    /** Every tensor (not counters) of the network as doubles, by state_dict name. */
    Map<String, double[]> state() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (Parameter p : net.state()) {
            if (!p.isCounter()) m.put(p.name(), read(p.offset(), p.size()));
        }
        return m;
    }

    double[] read(int offset, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[offset + i];
        return d;
    }

    ReferenceNet reference() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        stateBefore.forEach((k, v) -> copy.put(k, v.clone()));
        return new ReferenceNet(spec, copy);
    }

    /** Top-level layers the loss reads through: all, or all but a fused final softmax/sigmoid. */
    int lossLayers() {
        return net.fusesFinalActivation() ? spec.layers().size() - 1 : spec.layers().size();
    }

    double[] targetsAsDouble() {
        double[] d = new double[t.length];
        for (int i = 0; i < t.length; i++) d[i] = t[i];
        return d;
    }

    double referenceLoss(ReferenceNet ref, boolean training) {
        return referenceLossFrom(ref, 0, toDouble(x), training);
    }

    double referenceLossFrom(ReferenceNet ref, int layer, double[] h, boolean training) {
        double[] z = ref.forward(h, batch, training, layer, lossLayers());
        return ReferenceNet.loss(kind, z, targetsAsDouble(), batch, net.lossWidth());
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** The float loss input (logits or outputs) matches the double forward. */
    void assertForwardMatches(ReferenceNet ref, boolean training, double rtol) {
        double[] z = ref.forward(toDouble(x), batch, training, 0, lossLayers());
        double[] got = read(net.lossInputOffset(), batch * net.lossWidth());
        assertAllClose("forward output of " + spec.layersText(), z, got, rtol, rtol);
    }

    /**
     * Every trainable parameter's analytic gradient matches central differences of the double loss. The absolute
     * tolerance has a floor of 1% of the largest gradient in the network, for tensors whose true gradient is 0 (a
     * bias in front of a batchnorm) and so is float noise only.
     */
    void assertParameterGradients(ReferenceNet ref, boolean training, double rtol) {
        Map<Parameter, double[]> numeric = new LinkedHashMap<>();
        double largest = 0;
        for (Parameter p : net.state()) {
            if (p.kind() != Parameter.Kind.TRAINABLE) continue;
            double[] values = ref.state.get(p.name());
            double[] d = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                double keep = values[i];
                values[i] = keep + H;
                double up = referenceLoss(ref, training);
                values[i] = keep - H;
                double down = referenceLoss(ref, training);
                values[i] = keep;
                d[i] = (up - down) / (2 * H);
                largest = Math.max(largest, Math.abs(d[i]));
            }
            numeric.put(p, d);
        }
        assertTrue(!numeric.isEmpty(), "no trainable parameter to check in " + spec.layersText());
        for (Map.Entry<Parameter, double[]> e : numeric.entrySet()) {
            Parameter p = e.getKey();
            assertAllClose("d loss / d " + p.name() + " in " + spec.layersText(), e.getValue(),
                    read(p.gradOffset(), p.size()), rtol, 1e-4, 1e-2 * largest);
        }
    }

    /** The input gradient a top-level layer wrote (its dx slot) matches central differences from that layer on. */
    void assertInputGradientOfLayer(int k, ReferenceNet ref, boolean training, double rtol) {
        Layer l = net.layers().get(k);
        assertTrue(l.dx >= 0, "layer " + l + " computes no input gradient");
        double[] h = read(l.x, batch * l.inputWidth());
        double[] numeric = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            double keep = h[i];
            h[i] = keep + H;
            double up = referenceLossFrom(ref, k, h, training);
            h[i] = keep - H;
            double down = referenceLossFrom(ref, k, h, training);
            h[i] = keep;
            numeric[i] = (up - down) / (2 * H);
        }
        assertAllClose("d loss / d input of layer " + l + " in " + spec.layersText(), numeric,
                read(l.dx, h.length), rtol, 1e-4);
    }

    /** The forward, all parameter gradients and (if {@code layerForInputGradient ≥ 0}) that layer's input gradient. */
    void assertAll(boolean training, int layerForInputGradient) {
        assertAll(reference(), training, layerForInputGradient);
    }

    /** As {@link #assertAll(boolean, int)} with a prepared reference (e.g. one given the dropout masks). */
    void assertAll(ReferenceNet ref, boolean training, int layerForInputGradient) {
        assertForwardMatches(ref, training, 1e-5);
        assertParameterGradients(ref, training, 1e-3);
        if (layerForInputGradient >= 0) assertInputGradientOfLayer(layerForInputGradient, ref, training, 1e-3);
    }

    /**
     * {@code |actual − expected| ≤ rtol·|expected| + atolFraction·max|expected|} element-wise: relative where a value
     * is large, and absolute (scaled by the tensor's largest value) where cancellation leaves it near zero.
     */
    static void assertAllClose(String what, double[] expected, double[] actual, double rtol, double atolFraction) {
        assertAllClose(what, expected, actual, rtol, atolFraction, 0);
    }

    /** As above, with {@code max|expected|} taken as at least {@code scaleFloor}. */
    static void assertAllClose(String what, double[] expected, double[] actual, double rtol, double atolFraction,
                               double scaleFloor) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        double max = scaleFloor;
        for (double e : expected) max = Math.max(max, Math.abs(e));
        double atol = atolFraction * max + 1e-12;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= rtol * Math.abs(expected[i]) + atol)) {
                fail(String.format(java.util.Locale.ROOT, "%s: element %d is %.9g, expected %.9g (error %.3g, allowed %.3g)",
                        what, i, actual[i], expected[i], err, rtol * Math.abs(expected[i]) + atol));
            }
        }
    }
}
