package org.edgetrain.nn;

/**
 * The int16 layers that exist, as a {@link LayerSpec} asks for its own in {@link LayerSpec#int16Layer}: implemented by
 * {@code fixed.FixedNetwork}, which knows the position, width and formats. {@code fixed} depends on {@code nn}, never
 * the other way, so this interface is how a descriptor names its int16 layer. A new int16 layer is one method here,
 * its kind's {@code int16Layer} override, and its class and implementation in {@code fixed}.
 */
public interface Int16Layers<L> {
    /** {@code fixed.FixedDense}. */
    L dense(LayerSpec.Dense spec);

    /** {@code fixed.FixedLeakyRelu}; ReLU is slope 0. */
    L leakyRelu(float slope);

    /** {@code fixed.FixedDropout}. */
    L dropout(float rate);

    /** {@code fixed.FixedConv1d}, for the shape the layer reads. */
    L conv1d(LayerSpec.Conv1d spec);

    /** {@code fixed.FixedMaxPool1d} or {@code fixed.FixedAvgPool1d}. */
    L pool1d(LayerSpec.Pool1d spec);

    /** {@code fixed.FixedGlobalAvgPool1d}. */
    L globalAvgPool1d();

    /** {@code fixed.FixedUpsample1d}. */
    L upsample1d(int factor);

    /** {@code fixed.FixedFlatten}. */
    L flatten();
}
