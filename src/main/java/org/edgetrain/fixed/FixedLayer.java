package org.edgetrain.fixed;

import java.util.List;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Slot;

/**
 * One step of a fixed-point network, in the same shape as {@link org.edgetrain.nn.Layer}: {@code forward} reads its
 * int16 input and writes its int16 output, {@code backward} reads dL/d(output) and writes parameter gradients and (when
 * asked) dL/d(input). Each tensor carries a {@link QFormat}; an activation whose output cannot outgrow its input
 * shares the input's format.
 */
abstract class FixedLayer {
    final String name;
    final int in;
    final int out;
    Slot inputSlot, outputSlot, dOutSlot, dInSlot;
    QFormat inFormat, outFormat, dOutFormat, dInFormat;
    short[] a;
    FixedKernels kernels;
    int x = -1, y = -1, dy = -1, dx = -1;

    FixedLayer(String name, int in, int out) {
        this.name = name;
        this.in = in;
        this.out = out;
    }

    /** Requests the output slot and own slots, and sets {@link #outFormat}; {@link #inFormat} is set. */
    abstract void plan(MemoryPlan.Builder plan, int batch);

    /** Sets {@link #dInFormat} once {@link #dOutFormat} is known (only when an earlier layer needs dL/d(input)). */
    abstract void planBackward();

    /** Requests scratch that only dL/d(input) needs, once {@link #planBackward} ran and {@link #dInSlot} is set. */
    void planBackwardScratch(MemoryPlan.Builder plan, int batch) {
    }

    void bind(short[] arena, FixedKernels k) {
        this.a = arena;
        this.kernels = k;
        x = inputSlot.offset();
        y = outputSlot.offset();
        dy = dOutSlot == null ? -1 : dOutSlot.offset();
        dx = dInSlot == null ? -1 : dInSlot.offset();
    }

    abstract void forward(int batch, boolean training);

    abstract void backward(int batch);

    List<FixedParameter> parameters() {
        return List.of();
    }

    /** ReLU family (the health monitor counts its dead units). */
    boolean reluFamily() {
        return false;
    }

    /** Formats this layer writes and owns (not shared ones), for calibration, adaptation and statistics. */
    abstract List<QFormat> ownFormats();
}
