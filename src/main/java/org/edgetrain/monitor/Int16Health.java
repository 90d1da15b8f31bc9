package org.edgetrain.monitor;

import org.edgetrain.fixed.FixedActivation;
import org.edgetrain.fixed.FixedParameter;

/**
 * The int16 network's tensors and ReLU outputs for the health monitor: integer sums of squares (exact in a long for
 * any tensor under 2^33 values), then scaled once by the tensor's own 2^(−2·frac), so the statistics are the fp32
 * monitor's on the dequantized values. A ReLU output is positive exactly when its int16 value is (the scale is positive).
 */
final class Int16Health {
    private Int16Health() {
    }

    record Tensor(FixedParameter p) implements HealthTensor {
        @Override
        public String name() {
            return p.name();
        }

        @Override
        public String layer() {
            String n = p.name();
            int dot = n.indexOf('.');
            return dot < 0 ? n : n.substring(0, dot);
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
            return Math.scalb((double) squares(s, p.gradOffset(), p.size()), -2 * p.gradFormat().frac());
        }

        @Override
        public double weightSquares(float[] f, short[] s) {
            return Math.scalb((double) squares(s, p.offset(), p.size()), -2 * p.format().frac());
        }

        @Override
        public float weight(float[] f, short[] s, int i) {
            return p.format().real(s[p.offset() + i]);
        }

        private static long squares(short[] s, int at, int n) {
            long sum = 0;
            for (int i = at; i < at + n; i++) sum += s[i] * s[i];
            return sum;
        }
    }

    record Units(FixedActivation l) implements HealthUnits {
        @Override
        public String name() {
            return l.name();
        }

        @Override
        public int units() {
            return l.width();
        }

        @Override
        public int width() {
            return l.width();
        }

        @Override
        public void markActive(float[] f, short[] s, int rows, int activity) {
            int w = l.width(), y = l.offset();
            for (int r = 0; r < rows; r++) {
                int row = y + r * w;
                for (int j = 0; j < w; j++) if (s[row + j] > 0) f[activity + j] = 1f;
            }
        }
    }
}
