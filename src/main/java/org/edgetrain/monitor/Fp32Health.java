package org.edgetrain.monitor;

import org.edgetrain.nn.Layer;
import org.edgetrain.nn.Parameter;

/** The fp32 network's tensors and ReLU outputs for the health monitor: values read straight from the float arena. */
final class Fp32Health {
    private Fp32Health() {
    }

    record Tensor(Parameter p) implements HealthTensor {
        @Override
        public String name() {
            return p.name();
        }

        @Override
        public String layer() {
            return p.layer();
        }

        @Override
        public int size() {
            return p.size();
        }

        @Override
        public boolean matrix() {
            return p.shape().length == 2;
        }

        @Override
        public double gradientSquares(float[] f, short[] s) {
            return squares(f, p.gradOffset(), p.size());
        }

        @Override
        public double weightSquares(float[] f, short[] s) {
            return squares(f, p.offset(), p.size());
        }

        @Override
        public float weight(float[] f, short[] s, int i) {
            return f[p.offset() + i];
        }

        private static double squares(float[] f, int at, int n) {
            double sum = 0;
            for (int i = at; i < at + n; i++) sum += (double) f[i] * f[i];
            return sum;
        }
    }

    record Units(Layer l) implements HealthUnits {
        @Override
        public String name() {
            return l.name();
        }

        @Override
        public int units() {
            return l.units();
        }

        @Override
        public int width() {
            return l.outputWidth();
        }

        @Override
        public void markActive(float[] f, short[] s, int rows, int activity) {
            int w = l.outputWidth(), u = l.units(), y = l.outputOffset();
            for (int r = 0; r < rows; r++) {
                int row = y + r * w;
                for (int j = 0; j < w; j++) if (f[row + j] > 0f) f[activity + j % u] = 1f; // after a conv: a channel at any step
            }
        }
    }
}
