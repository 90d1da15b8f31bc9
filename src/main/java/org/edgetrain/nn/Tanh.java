package org.edgetrain.nn;

/** {@code y = tanh x}; saturates for |x| ≫ 1, where its gradient 1−y² vanishes. */
public final class Tanh extends Layer {
    Tanh(String name, int width) {
        super(name, width, width, false);
    }

    @Override
    public HealthRole healthRole() {
        return HealthRole.SATURATING;
    }

    @Override
    public boolean saturated(float v) {
        return Math.abs(v) > 0.98f; // 1 - y² < 0.04
    }

    @Override
    public String describe() {
        return "tanh";
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.tanhForward(a, x, y, batch * in);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        kernels.tanhBackward(a, y, dy, dx, batch * in); // dL/dx = dL/dy · (1 − y²)
    }
}
