package org.edgetrain.nn;

import org.edgetrain.util.Rng;

/** Fully connected layer: {@code y = x·Wᵀ + b}, W stored [out, in] like PyTorch's nn.Linear. */
public class Dense extends Layer { // not final: tests derive a layer with a deliberately wrong gradient
    private final Init init;
    private final float gain;
    private final float reluSlope; // slope of the following ReLU-family activation, NaN if none follows
    private final boolean hasBias;
    private Parameter weight;
    private Parameter bias;
    private int w, b = -1, dw = -1, db = -1;

    Dense(String name, int in, int out, Init init, float gain, boolean hasBias, float reluSlope, boolean frozen) {
        super(name, in, out, frozen);
        this.init = init;
        this.gain = gain;
        this.hasBias = hasBias;
        this.reluSlope = reluSlope;
    }

    @Override
    public String describe() {
        return "dense " + in + "→" + out;
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        weight = p.parameter(this, "weight", !frozen, out, in);
        if (hasBias) bias = p.parameter(this, "bias", !frozen, out);
    }

    @Override
    void bind(float[] arena, org.edgetrain.kernels.Kernels k) {
        super.bind(arena, k);
        w = weight.offset();
        dw = weight.gradOffset();
        if (bias != null) {
            b = bias.offset();
            db = bias.gradOffset();
        }
    }

    @Override
    boolean hasTrainable() {
        return !frozen;
    }

    /** The concrete scheme AUTO resolves to: He before the ReLU family, Xavier otherwise. */
    Init resolvedInit() {
        if (init != Init.AUTO) return init;
        return Float.isNaN(reluSlope) ? Init.XAVIER_UNIFORM : Init.HE_UNIFORM;
    }

    @Override
    void initialize(Rng rng) {
        Init scheme = resolvedInit();
        int n = in * out;
        // He: std = gain/√fan_in with gain = √(2/(1+slope²)); Xavier: std = √(2/(fan_in+fan_out)); uniform bound = √3·std
        float slope = Float.isNaN(reluSlope) ? 0f : reluSlope;
        double heStd = Math.sqrt(2.0 / (1.0 + slope * slope)) / Math.sqrt(in);
        double xavierStd = Math.sqrt(2.0 / (in + out));
        double pytorchBound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < n; i++) {
            double v = switch (scheme) {
                case HE_UNIFORM -> (2 * rng.nextDouble() - 1) * Math.sqrt(3.0) * heStd;
                case HE_NORMAL -> rng.nextGaussian() * heStd;
                case XAVIER_UNIFORM -> (2 * rng.nextDouble() - 1) * Math.sqrt(3.0) * xavierStd;
                case XAVIER_NORMAL -> rng.nextGaussian() * xavierStd;
                case PYTORCH -> (2 * rng.nextDouble() - 1) * pytorchBound;
                case AUTO -> throw new AssertionError("AUTO is resolved above");
            };
            a[w + i] = (float) (v * gain);
        }
        if (bias != null) {
            for (int o = 0; o < out; o++) {
                a[b + o] = scheme == Init.PYTORCH ? (float) ((2 * rng.nextDouble() - 1) * pytorchBound) : 0f;
            }
        }
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.denseForward(a, x, w, b, y, batch, in, out);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dw >= 0) {
            kernels.denseWeightGrad(a, dy, x, dw, batch, in, out, accumulate); // dL/dW (+)= dYᵀ·X
            if (db >= 0) kernels.biasGrad(a, dy, db, batch, out, accumulate); // dL/db (+)= Σ dY
        }
        if (dx >= 0) kernels.denseInputGrad(a, dy, w, dx, batch, in, out); // dL/dX = dY·W
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
