package org.edgetrain.nn;

import java.util.Map;

/**
 * The time layers in double precision, written from PyTorch's definitions in its own {@code [C, L]} indexing with
 * naive loops (no im2col, no time-major caches), for {@link ReferenceNet}. A row is stored {@code [L, C]}:
 * element (c, t) is {@code x[t·C + c]}.
 */
final class TimeReference {
    private TimeReference() {
    }

    /** The layer's output, or null when {@code s} is not a time layer. */
    static double[] layer(LayerSpec s, String name, Map<String, double[]> state, double[] x, Shape in, int batch) {
        int T = in.time(), C = in.channels();
        if (s instanceof LayerSpec.Conv1d c) {
            double[] w = state.get(name + ".weight"), b = c.bias() ? state.get(name + ".bias") : null;
            int K = c.kernel(), O = c.outChannels(), To = c.outputTime(T), pad = c.padLeft();
            double[] y = new double[batch * To * O];
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < O; o++) {
                    for (int t = 0; t < To; t++) {
                        double acc = b == null ? 0 : b[o];
                        for (int i = 0; i < C; i++) {
                            for (int k = 0; k < K; k++) {
                                int src = t * c.stride() + k * c.dilation() - pad; // index into the unpadded input
                                if (src >= 0 && src < T) acc += w[(o * C + i) * K + k] * x[n * T * C + src * C + i];
                            }
                        }
                        y[n * To * O + t * O + o] = acc;
                    }
                }
            }
            return y;
        }
        if (s instanceof LayerSpec.Pool1d p) {
            int To = p.outputTime(T);
            double[] y = new double[batch * To * C];
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < C; i++) {
                    for (int t = 0; t < To; t++) {
                        double acc = p.max() ? Double.NEGATIVE_INFINITY : 0;
                        for (int k = 0; k < p.kernel(); k++) {
                            double v = x[n * T * C + (t * p.stride() + k) * C + i];
                            acc = p.max() ? Math.max(acc, v) : acc + v / p.kernel();
                        }
                        y[n * To * C + t * C + i] = acc;
                    }
                }
            }
            return y;
        }
        if (s instanceof LayerSpec.GlobalAvgPool1d) {
            double[] y = new double[batch * C];
            for (int n = 0; n < batch; n++) for (int i = 0; i < C; i++) for (int t = 0; t < T; t++) y[n * C + i] += x[n * T * C + t * C + i] / T;
            return y;
        }
        if (s instanceof LayerSpec.Upsample1d u) {
            int f = u.factor();
            double[] y = new double[batch * T * f * C];
            for (int n = 0; n < batch; n++) for (int t = 0; t < T * f; t++) for (int i = 0; i < C; i++) y[(n * T * f + t) * C + i] = x[(n * T + t / f) * C + i];
            return y;
        }
        if (s instanceof LayerSpec.Flatten) return x.clone();
        if (s instanceof LayerSpec.Gru g) return gru(g, name, state, x, T, C, batch);
        return null;
    }

    /** torch.nn.GRU's documented equations, gate order r, z, n, h₀ = 0. */
    private static double[] gru(LayerSpec.Gru g, String name, Map<String, double[]> state, double[] x, int T, int C, int batch) {
        int H = g.hidden();
        double[] wih = state.get(name + ".weight_ih_l0"), whh = state.get(name + ".weight_hh_l0");
        double[] bih = state.get(name + ".bias_ih_l0"), bhh = state.get(name + ".bias_hh_l0");
        double[] y = new double[batch * (g.allSteps() ? T : 1) * H];
        for (int n = 0; n < batch; n++) {
            double[] h = new double[H];
            for (int t = 0; t < T; t++) {
                double[] gi = new double[3 * H], gh = new double[3 * H];
                for (int j = 0; j < 3 * H; j++) {
                    gi[j] = bih[j];
                    for (int i = 0; i < C; i++) gi[j] += wih[j * C + i] * x[(n * T + t) * C + i];
                    gh[j] = bhh[j];
                    for (int i = 0; i < H; i++) gh[j] += whh[j * H + i] * h[i];
                }
                double[] next = new double[H];
                for (int j = 0; j < H; j++) {
                    double r = 1 / (1 + Math.exp(-(gi[j] + gh[j])));
                    double z = 1 / (1 + Math.exp(-(gi[H + j] + gh[H + j])));
                    double nn = Math.tanh(gi[2 * H + j] + r * gh[2 * H + j]);
                    next[j] = (1 - z) * nn + z * h[j];
                }
                h = next;
                if (g.allSteps()) System.arraycopy(h, 0, y, (n * T + t) * H, H);
            }
            if (!g.allSteps()) System.arraycopy(h, 0, y, n * H, H);
        }
        return y;
    }
}
