package org.edgetrain.nn;

/**
 * Row-wise {@code y = e^x / Σ e^x}. As the last layer under cross-entropy it is folded into the loss during training
 * (see {@link Network}); on its own its backward is the Jacobian product {@code dx = y ⊙ (dy − Σ dy⊙y)}.
 */
public final class Softmax extends Layer {
    Softmax(String name, int width) {
        super(name, width, width, false);
    }

    @Override
    public String describe() {
        return "softmax";
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.softmaxForward(a, x, y, batch, in);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        kernels.softmaxBackward(a, y, dy, dx, batch, in);
    }
}
