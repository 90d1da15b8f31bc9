package org.edgetrain.nn;

/** {@code y = x > 0 ? x : slope·x}; the default activation, because its units cannot die (ReLU is slope 0). */
public class LeakyRelu extends Layer {
    protected final float slope;

    LeakyRelu(String name, int width, float slope) {
        super(name, width, width, false);
        this.slope = slope;
    }

    public float slope() {
        return slope;
    }

    @Override
    public HealthRole healthRole() {
        return slope == 0f ? HealthRole.RELU_FAMILY : HealthRole.NONE;
    }

    @Override
    public String describe() {
        return "leaky_relu(" + slope + ")";
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.leakyReluForward(a, x, y, batch * in, slope);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        kernels.leakyReluBackward(a, x, dy, dx, batch * in, slope); // dL/dx = dL/dy · (x > 0 ? 1 : slope)
    }
}
