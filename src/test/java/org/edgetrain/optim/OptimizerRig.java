package org.edgetrain.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;

/**
 * An optimizer over a block of {@code n} parameters in its own arena, stepped with chosen gradients, beside a double
 * re-implementation of torch.optim's documented update rules ({@link Torch}) fed the same float gradients.
 */
final class OptimizerRig {
    final Kernels kernels = new JavaKernels();
    final OptimizerSpec spec;
    final MemoryPlan plan;
    final float[] a;
    final int p, g, n;
    final Optimizer optimizer;

    OptimizerRig(OptimizerSpec spec, float... params) {
        this.spec = spec;
        this.n = params.length;
        MemoryPlan.Builder b = MemoryPlan.builder();
        Slot ps = b.add(Region.PARAMETERS, "test", "p", n);
        Slot gs = b.add(Region.GRADIENTS, "test", "g", n);
        this.optimizer = Optimizer.create(spec, b, n);
        this.plan = b.build();
        this.a = new Arena(plan).data();
        optimizer.bind();
        this.p = ps.offset();
        this.g = gs.offset();
        System.arraycopy(params, 0, a, p, n);
    }

    void step(float lr, float... grad) {
        System.arraycopy(grad, 0, a, g, n);
        optimizer.step(kernels, a, p, g, n, lr);
    }

    float[] params() {
        return Arrays.copyOfRange(a, p, p + n);
    }

    /** torch.optim's update rules as documented, in double. */
    static final class Torch {
        final OptimizerSpec s;
        final double[] p, buf, m, v;
        int t;

        Torch(OptimizerSpec s, float[] params) {
            this.s = s;
            this.p = new double[params.length];
            for (int i = 0; i < p.length; i++) p[i] = params[i];
            buf = new double[p.length];
            m = new double[p.length];
            v = new double[p.length];
        }

        void step(double lr, float[] grad) {
            t++;
            double wd = s.weightDecay();
            for (int i = 0; i < p.length; i++) {
                double gi = grad[i];
                switch (s.kind()) {
                    case SGD -> p[i] -= lr * (gi + wd * p[i]);
                    case MOMENTUM, NESTEROV -> {
                        gi += wd * p[i];
                        buf[i] = t == 1 ? gi : s.momentum() * buf[i] + gi; // dampening 0
                        p[i] -= lr * (s.nesterov() ? gi + s.momentum() * buf[i] : buf[i]);
                    }
                    case ADAM, ADAMW -> {
                        if (s.kind() == OptimizerSpec.Kind.ADAMW) p[i] *= 1 - lr * wd;
                        else gi += wd * p[i];
                        m[i] = s.beta1() * m[i] + (1 - s.beta1()) * gi;
                        v[i] = s.beta2() * v[i] + (1 - s.beta2()) * gi * gi;
                        double bc1 = 1 - Math.pow(s.beta1(), t), bc2 = 1 - Math.pow(s.beta2(), t);
                        p[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + s.eps());
                    }
                    case RMSPROP -> {
                        gi += wd * p[i];
                        v[i] = s.alpha() * v[i] + (1 - s.alpha()) * gi * gi;
                        p[i] -= lr * gi / (Math.sqrt(v[i]) + s.eps());
                    }
                }
            }
        }
    }

    /** Steps the optimizer and {@link Torch} with the same random gradients; parameters must agree after each step. */
    static void assertMatchesTorch(OptimizerSpec spec, int steps, long seed, double tol) {
        Random r = new Random(seed);
        int n = 7;
        float[] init = new float[n];
        for (int i = 0; i < n; i++) init[i] = (float) r.nextGaussian();
        OptimizerRig rig = new OptimizerRig(spec, init);
        Torch ref = new Torch(spec, init);
        for (int s = 1; s <= steps; s++) {
            float[] grad = new float[n];
            for (int i = 0; i < n; i++) grad[i] = (float) (r.nextGaussian() * 0.5);
            float lr = spec.lr() * (1 + 0.1f * s); // a changing lr, as a schedule gives
            rig.step(lr, grad);
            ref.step(lr, grad);
            float[] got = rig.params();
            for (int i = 0; i < n; i++) {
                assertTrue(Math.abs(got[i] - ref.p[i]) <= tol * (1 + Math.abs(ref.p[i])), spec + ": step " + s + " param " + i
                        + " is " + got[i] + ", torch.optim's rule gives " + ref.p[i]);
            }
        }
        assertTrue(rig.optimizer.steps() == steps);
    }
}
