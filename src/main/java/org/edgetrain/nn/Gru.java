package org.edgetrain.nn;

import org.edgetrain.kernels.Kernels;
import org.edgetrain.memory.Slot;
import org.edgetrain.util.Rng;

/**
 * One-layer GRU over the window, PyTorch's {@code nn.GRU(batch_first=True)} (gate order r, z, n; h₀ = 0):
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))      h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The input projections of all steps are one dense product {@code gx [batch·T, 3H]}; each step then adds
 * {@code gh = h·W_hhᵀ + b_hh [batch, 3H]} and applies the gates. Forward caches every step's h (time-major
 * {@code [T+1, batch, H]}, so a step's h is one contiguous matrix), gates and gh; backward runs through time with
 * one {@code dh·W_hh} product per step and ends with three whole-window products for dW_ih, dW_hh and dL/dx.
 */
final class Gru extends Layer {
    private final int time, ch, hidden, gates;
    private final boolean allSteps;
    private Parameter wIh, wHh, bIh, bHh;
    private Slot gxSlot, hsSlot, gateSlot, ghSlot, dgxSlot, dghSlot, dhSlot, dhTmpSlot;
    private int wih, whh, bih, bhh, dwih = -1, dwhh = -1, dbih = -1, dbhh = -1;
    private int gx, hs, gate, gh, dgx = -1, dgh = -1, dh = -1, dhTmp = -1;

    Gru(String name, Shape in, LayerSpec.Gru spec, boolean frozen) {
        super(name, in.width(), spec.allSteps() ? in.time() * spec.hidden() : spec.hidden(), frozen);
        this.time = in.time();
        this.ch = in.channels();
        this.hidden = spec.hidden();
        this.gates = 3 * hidden;
        this.allSteps = spec.allSteps();
    }

    @Override
    public String describe() {
        return "gru " + time + "×" + ch + "→" + (allSteps ? time + "×" : "") + hidden;
    }

    @Override
    void plan(Planner p) {
        outputSlot = p.activation(this, "output", out);
        wIh = p.parameter(this, "weight_ih_l0", !frozen, gates, ch);
        wHh = p.parameter(this, "weight_hh_l0", !frozen, gates, hidden);
        bIh = p.parameter(this, "bias_ih_l0", !frozen, gates);
        bHh = p.parameter(this, "bias_hh_l0", !frozen, gates);
        gxSlot = p.activation(this, "x·W_ihᵀ+b_ih per step", time * gates);
        hsSlot = p.activation(this, "h per step (h0 first)", (time + 1) * hidden);
        gateSlot = p.activation(this, "r, z, n per step", time * gates);
        ghSlot = p.activation(this, "h·W_hhᵀ+b_hh per step", time * gates);
    }

    @Override
    void planBackward(Planner p) {
        if (frozen && dInSlot == null) return;
        dgxSlot = p.scratch(this, "dL/d(input gates) per step", time * gates);
        dghSlot = p.scratch(this, "dL/d(hidden gates) per step", time * gates);
        dhSlot = p.scratch(this, "dL/dh", hidden);
        dhTmpSlot = p.scratch(this, "dL/dh through W_hh", hidden);
    }

    @Override
    void bind(float[] arena, Kernels k) {
        super.bind(arena, k);
        wih = wIh.offset();
        whh = wHh.offset();
        bih = bIh.offset();
        bhh = bHh.offset();
        dwih = wIh.gradOffset();
        dwhh = wHh.gradOffset();
        dbih = bIh.gradOffset();
        dbhh = bHh.gradOffset();
        gx = gxSlot.offset();
        hs = hsSlot.offset();
        gate = gateSlot.offset();
        gh = ghSlot.offset();
        if (dgxSlot != null) {
            dgx = dgxSlot.offset();
            dgh = dghSlot.offset();
            dh = dhSlot.offset();
            dhTmp = dhTmpSlot.offset();
        }
    }

    @Override
    boolean hasTrainable() {
        return !frozen;
    }

    /** PyTorch's default: every tensor U(±1/√hidden). */
    @Override
    void initialize(Rng rng) {
        double bound = 1.0 / Math.sqrt(hidden);
        fill(rng, wih, gates * ch, bound);
        fill(rng, whh, gates * hidden, bound);
        fill(rng, bih, gates, bound);
        fill(rng, bhh, gates, bound);
    }

    private void fill(Rng rng, int at, int n, double bound) {
        for (int i = 0; i < n; i++) a[at + i] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }

    @Override
    public void forward(int batch, boolean training) {
        kernels.denseForward(a, x, wih, bih, gx, batch * time, ch, gates); // gx[n·T+t] = x_t·W_ihᵀ + b_ih, all steps
        java.util.Arrays.fill(a, hs, hs + batch * hidden, 0f); // h₀ = 0
        for (int t = 0; t < time; t++) {
            int hPrev = hs + t * batch * hidden, hNext = hPrev + batch * hidden;
            int ght = gh + t * batch * gates, gt = gate + t * batch * gates;
            kernels.denseForward(a, hPrev, whh, bhh, ght, batch, hidden, gates); // gh = h·W_hhᵀ + b_hh
            kernels.gruGatesForward(a, gx + t * gates, time * gates, ght, gt, hPrev, hNext, batch, hidden); // r, z, n; h'
        }
        if (allSteps) {
            for (int n = 0; n < batch; n++) {
                for (int t = 0; t < time; t++) System.arraycopy(a, hs + ((t + 1) * batch + n) * hidden, a, y + (n * time + t) * hidden, hidden);
            }
        } else {
            System.arraycopy(a, hs + time * batch * hidden, a, y, batch * hidden);
        }
    }

    @Override
    public void backward(int batch, boolean accumulate) {
        int bh = batch * hidden;
        java.util.Arrays.fill(a, dh, dh + bh, 0f);
        for (int t = time - 1; t >= 0; t--) {
            // dL/dh_t: what flows back from step t+1 plus this step's own output gradient
            if (allSteps) {
                for (int n = 0; n < batch; n++) {
                    int src = dy + (n * time + t) * hidden, dst = dh + n * hidden;
                    for (int j = 0; j < hidden; j++) a[dst + j] += a[src + j];
                }
            } else if (t == time - 1) {
                System.arraycopy(a, dy, a, dh, bh);
            }
            int hPrev = hs + t * bh, ght = gh + t * batch * gates, gt = gate + t * batch * gates, dght = dgh + t * batch * gates;
            kernels.gruGatesBackward(a, gt, ght, hPrev, dh, dgx + t * gates, time * gates, dght, batch, hidden); // dh ← dh·z
            if (t > 0) { // dL/dh₀ is not needed: h₀ is the constant 0
                kernels.denseInputGrad(a, dght, whh, dhTmp, batch, hidden, gates); // dL/dh += dgh·W_hh
                for (int i = 0; i < bh; i++) a[dh + i] += a[dhTmp + i];
            }
        }
        if (dwih >= 0) {
            kernels.denseWeightGrad(a, dgh, hs, dwhh, time * batch, hidden, gates, accumulate); // Σ_t dgh_tᵀ·h_{t−1}
            kernels.biasGrad(a, dgh, dbhh, time * batch, gates, accumulate);
            kernels.denseWeightGrad(a, dgx, x, dwih, batch * time, ch, gates, accumulate); // Σ_t dgx_tᵀ·x_t
            kernels.biasGrad(a, dgx, dbih, batch * time, gates, accumulate);
        }
        if (dx >= 0) kernels.denseInputGrad(a, dgx, wih, dx, batch * time, ch, gates); // dL/dx = dgx·W_ih
    }
}
