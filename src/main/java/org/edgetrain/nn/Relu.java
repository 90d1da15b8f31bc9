package org.edgetrain.nn;

/** {@code y = max(0, x)}; gradient 0 for x ≤ 0, as in PyTorch. Units that stay negative stop learning ("dead"). */
public final class Relu extends LeakyRelu {
    Relu(String name, int width) {
        super(name, width, 0f);
    }

    @Override
    public String describe() {
        return "relu";
    }
}
