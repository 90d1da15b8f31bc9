package org.edgetrain.fixed;

import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.Shape;

/** The int16 layers of the time-series kinds (conv1d, pooling, upsample1d, flatten), made for the shape they read. */
final class FixedTimeLayers {
    private FixedTimeLayers() {
    }

    /** The int16 layer for {@code s} reading {@code in}, or null when {@code s} is not a time layer with one. */
    static FixedLayer of(LayerSpec s, String name, Shape in) {
        if (s instanceof LayerSpec.Conv1d c) return new FixedConv1d(name, in, c);
        if (s instanceof LayerSpec.Pool1d p) return p.max() ? new FixedMaxPool1d(name, in, p) : new FixedAvgPool1d(name, in, p);
        if (s instanceof LayerSpec.GlobalAvgPool1d) return new FixedGlobalAvgPool1d(name, in);
        if (s instanceof LayerSpec.Upsample1d u) return new FixedUpsample1d(name, in, u.factor());
        if (s instanceof LayerSpec.Flatten) return new FixedFlatten(name, in.width());
        return null;
    }
}
