package org.edgetrain.nn;

/**
 * Test-only: a dense layer whose weight gradient is 1.5 times the true one, the kind of bug a hand-written backward
 * has. The gradient check must catch it and name this layer.
 */
public final class WrongGradientDense extends Dense {
    public static final String KIND = "wrong_gradient_dense";

    WrongGradientDense(String name, int in, int out, boolean frozen) {
        super(name, in, out, Init.AUTO, 1f, true, 0.01f, frozen);
    }

    /** Makes {@code wrong_gradient_dense(units)} available to the layers language. */
    public static void register() {
        CustomLayers.register(KIND, WrongGradientDense::new);
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        super.backward(batch, accumulate);
        int g = weight().gradOffset();
        for (int i = 0; i < weight().size(); i++) a[g + i] *= 1.5f;
    }

    @Override
    public String describe() {
        return KIND + " " + in + "→" + out;
    }
}
