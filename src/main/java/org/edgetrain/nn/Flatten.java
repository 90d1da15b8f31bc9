package org.edgetrain.nn;

/**
 * {@code nn.Flatten} on {@code [N, L, C]}: time × channels read as one vector in row order. The values are already
 * laid out that way, so forward reuses the input slot (no copy); backward copies dL/dy into the predecessor's slot.
 */
final class Flatten extends Layer {
    Flatten(String name, Shape in) {
        super(name, in.width(), in.width(), false);
    }

    @Override
    public String describe() {
        return "flatten " + in;
    }

    @Override
    void plan(Planner p) {
        outputSlot = inputSlot; // a view: nothing writes the input between this layer and the next
    }

    @Override
    public void forward(int batch, boolean training) {
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        if (dx >= 0) System.arraycopy(a, dy, a, dx, batch * in);
    }
}
