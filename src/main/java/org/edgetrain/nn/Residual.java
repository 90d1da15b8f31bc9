package org.edgetrain.nn;

import java.util.List;
import org.edgetrain.memory.Slot;

/**
 * {@code y = x + f(x)}: runs its block, then adds the block's input. Backward: {@code dL/dx = dL/dy + f'ᵀ·dL/dy}.
 * In PyTorch terms it is an nn.Sequential subclass whose forward returns {@code x + super().forward(x)}, so the
 * block's tensors are named {@code 3.0.weight}, {@code 3.2.weight}, ….
 */
public final class Residual extends Layer {
    private final List<Layer> block;
    private final boolean trainable;
    Slot tempA, tempB; // gradient ping-pong inside the block, so dL/dy survives for the skip connection

    Residual(String name, int width, List<Layer> block) {
        super(name, width, width, false);
        this.block = List.copyOf(block);
        boolean any = false;
        for (Layer l : block) any |= l.hasTrainable();
        this.trainable = any; // computed once: backward asks per step, and an iterator there would allocate
    }

    @Override
    public String describe() {
        return "residual of " + block.size() + " layers";
    }

    @Override
    List<Layer> children() {
        return block;
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
    }

    @Override
    boolean hasTrainable() {
        return trainable;
    }

    @Override
    public void forward(int batch, boolean training) {
        for (int i = 0; i < block.size(); i++) block.get(i).forward(batch, training);
        int f = block.get(block.size() - 1).y;
        int n = batch * in;
        for (int i = 0; i < n; i++) a[y + i] = a[x + i] + a[f + i];
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        for (int i = block.size() - 1; i >= 0; i--) {
            Layer l = block.get(i);
            if (!Network.runsBackward(l)) break;
            l.backward(batch, accumulate);
        }
        if (dx >= 0) {
            int n = batch * in;
            for (int i = 0; i < n; i++) a[dx + i] += a[dy + i]; // skip connection: the block wrote f'ᵀ·dy into dx
        }
    }
}
