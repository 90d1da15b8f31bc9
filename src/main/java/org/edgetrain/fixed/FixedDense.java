package org.edgetrain.fixed;

import java.util.ArrayList;
import java.util.List;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;

/** Fully connected layer in fixed point: {@code y = x·Wᵀ + b}, W [out, in], accumulated exactly, narrowed once. */
final class FixedDense extends FixedLayer {
    private final boolean hasBias;
    FixedParameter weight;
    FixedParameter bias;

    FixedDense(String name, int in, int out, boolean hasBias) {
        super(name, in, out);
        this.hasBias = hasBias;
    }

    @Override
    void plan(MemoryPlan.Builder plan, int batch) {
        outputSlot = plan.add(ElementType.I16, Region.ACTIVATIONS, name, "output [" + batch + ", " + out + "]", batch * out);
        outFormat = new QFormat(name + ".output", 12, false);
        weight = FixedParameter.planned(plan, name, "weight", out, in);
        if (hasBias) bias = FixedParameter.planned(plan, name, "bias", out);
    }

    @Override
    void planBackward() {
        dInFormat = new QFormat(name + ".dinput", 12, false);
    }

    @Override
    void bind(short[] arena, FixedKernels k) {
        super.bind(arena, k);
        weight.bind();
        if (bias != null) bias.bind();
    }

    @Override
    void forward(int batch, boolean training) {
        int acc = inFormat.frac() + weight.format.frac(); // the accumulator's fractional bits
        int b = bias == null ? -1 : bias.p;
        int biasShift = bias == null ? 0 : acc - bias.format.frac();
        kernels.denseForward(a, x, weight.p, b, biasShift, y, batch, in, out, acc - outFormat.frac(), outFormat.stats());
    }

    @Override
    void backward(int batch) {
        int fdy = dOutFormat.frac();
        if (batch == 1 && weight.fuse) { // the update folded in: dX first, from the weights before the update
            inputGrad(batch, fdy);
            weight.fusedUpdate(kernels, a, dy, x, in, out, fdy + inFormat.frac() - weight.gradFormat.frac(), batch);
            if (bias != null) bias.fusedUpdate(kernels, a, dy, -1, 1, out, fdy - bias.gradFormat.frac(), batch);
            return;
        }
        // dL/dW = dYᵀ·X, dL/db = Σ dY, dL/dX = dY·W
        kernels.denseWeightGrad(a, dy, x, weight.g, batch, in, out, fdy + inFormat.frac() - weight.gradFormat.frac(),
                weight.gradFormat.stats());
        if (bias != null) kernels.biasGrad(a, dy, bias.g, batch, out, fdy - bias.gradFormat.frac(), bias.gradFormat.stats());
        inputGrad(batch, fdy);
    }

    private void inputGrad(int batch, int fdy) {
        if (dx >= 0) {
            kernels.denseInputGrad(a, dy, weight.p, dx, batch, in, out, fdy + weight.format.frac() - dInFormat.frac(),
                    dInFormat.stats());
        }
    }

    @Override
    List<FixedParameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    List<QFormat> ownFormats() {
        List<QFormat> f = new ArrayList<>(List.of(outFormat, weight.gradFormat));
        if (bias != null) f.add(bias.gradFormat);
        if (dInFormat != null) f.add(dInFormat);
        return f;
    }
}
