package org.edgetrain.nn;

/** {@code y = 1/(1+e^−x)}; saturates for |x| ≫ 1, where its gradient y(1−y) vanishes. */
public final class Sigmoid extends Layer {
    Sigmoid(String name, int width) {
        super(name, width, width, false);
    }

    @Override
    public HealthRole healthRole() {
        return HealthRole.SATURATING;
    }

    @Override
    public boolean saturated(float v) {
        return v < 0.01f || v > 0.99f; // y(1-y) < 0.0099, 4 % of its peak 0.25
    }

    @Override
    public String describe() {
        return "sigmoid";
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.sigmoidForward(a, x, y, batch * in);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        kernels.sigmoidBackward(a, y, dy, dx, batch * in); // dL/dx = dL/dy · y(1−y)
    }
}
