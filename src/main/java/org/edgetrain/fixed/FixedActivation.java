package org.edgetrain.fixed;

/**
 * A ReLU-family layer's int16 output as the health monitor sees it: the layer's name, values per row, and where the
 * output starts in the arena's int16 block (valid once the network is bound).
 */
public final class FixedActivation {
    private final FixedLayer layer;

    FixedActivation(FixedLayer layer) {
        this.layer = layer;
    }

    public String name() {
        return layer.name;
    }

    public int width() {
        return layer.out;
    }

    /** Offset of the output [batch, width] in the int16 block. */
    public int offset() {
        return layer.y;
    }
}
