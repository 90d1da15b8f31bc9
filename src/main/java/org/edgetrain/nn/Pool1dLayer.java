package org.edgetrain.nn;

/**
 * What max and average pooling share: the window geometry per channel over time ({@code [T, C] → [⌊(T−k)/s⌋+1, C]},
 * no padding) and how a pooling layer describes itself; each subclass is its forward and backward.
 */
abstract class Pool1dLayer extends Layer {
    final int inTime, ch, outTime, kernel, stride;
    private final String kind;

    Pool1dLayer(String name, Shape in, LayerSpec.Pool1d spec, String kind) {
        super(name, in.width(), spec.outputTime(in.time()) * in.channels(), false);
        this.inTime = in.time();
        this.ch = in.channels();
        this.outTime = spec.outputTime(in.time());
        this.kernel = spec.kernel();
        this.stride = spec.stride();
        this.kind = kind;
    }

    @Override
    public String describe() {
        return kind + " " + inTime + "×" + ch + "→" + outTime + "×" + ch + " k" + kernel + (stride != kernel ? " s" + stride : "");
    }
}
