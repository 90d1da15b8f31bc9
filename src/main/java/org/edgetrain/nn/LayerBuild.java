package org.edgetrain.nn;

import java.util.List;
import org.edgetrain.util.Rng;

/**
 * What a {@link LayerSpec} needs to build its fp32 {@link Layer} at one position of a {@link Network}: its name
 * (PyTorch numbering), the shape it reads, whether it is frozen, the kind after it (dense layers initialize for the
 * activation that follows), the network's dropout stream, and the way to build a nested block.
 */
public final class LayerBuild {
    /** Builds a block of layers under a name prefix, e.g. a residual's {@code 3.0, 3.1, ...}. */
    interface Blocks {
        List<Layer> build(List<LayerSpec> block, Shape in, String prefix, boolean frozen);
    }

    final String name;
    final Shape shape;
    final boolean frozen;
    final LayerSpec next;
    final Rng dropoutRng;
    private final Blocks blocks;

    LayerBuild(String name, Shape shape, boolean frozen, LayerSpec next, Rng dropoutRng, Blocks blocks) {
        this.name = name;
        this.shape = shape;
        this.frozen = frozen;
        this.next = next;
        this.dropoutRng = dropoutRng;
        this.blocks = blocks;
    }

    /** Width of the input as a plain vector (time × channels for a sequence). */
    int width() {
        return shape.width();
    }

    /** The slope He initialization should assume for a dense layer here: that of the activation after it, or NaN. */
    float reluSlopeAfter() {
        return next == null ? Float.NaN : next.reluSlope();
    }

    /** The layers of a nested block named {@code name.0, name.1, ...}; frozen with this layer when it is. */
    List<Layer> block(List<LayerSpec> block) {
        return blocks.build(block, shape, name + ".", frozen);
    }
}
