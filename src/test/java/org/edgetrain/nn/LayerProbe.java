package org.edgetrain.nn;

/** Test access to where an fp32 layer reads and writes, for tests outside {@code nn} (the int16 layers' twins). */
public final class LayerProbe {
    private LayerProbe() {
    }

    /** Offset of the layer's dL/d(input) in the arena, or -1 when no earlier layer needs it. */
    public static int inputGradOffset(Layer l) {
        return l.dx;
    }

    /** Offset of the layer's dL/d(output) in the arena. */
    public static int outputGradOffset(Layer l) {
        return l.dy;
    }

    /** Offset of the layer's input in the arena. */
    public static int inputOffset(Layer l) {
        return l.x;
    }
}
