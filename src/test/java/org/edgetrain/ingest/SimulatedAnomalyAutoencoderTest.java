package org.edgetrain.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.edgetrain.ingest.IngestPipeline.Settings;
import org.edgetrain.ingest.IngestPipeline.Standardize;
import org.edgetrain.ingest.sim.SimulatedSensor;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Evaluator;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.junit.jupiter.api.Test;

/**
 * End to end, with the public API only: the simulated sensor feeds windows through the ingest pipeline to an
 * autoencoder that learns to reconstruct them (the error falls), and then scores windows holding injected anomalies
 * (spikes, frequency shifts, dropouts) above normal ones. No labels anywhere: this is how a board learns its own
 * normal.
 */
class SimulatedAnomalyAutoencoderTest {
    static final int CHANNELS = 3;
    static final int WINDOW = 16;
    static final int BATCH = 16;
    static final long SEED = 11;

    @Test
    void autoencoderLearnsTheNormalSignalAndScoresInjectedAnomaliesHigher() {
        // training: a sensor with rare anomalies, as a real one would have
        Settings s = Settings.defaults(Labeling.reconstruct()).withStandardize(Standardize.FROZEN, 500).withOutlierK(6).withWindow(WINDOW, 4);
        IngestPipeline train = new IngestPipeline(new SimulatedSensor(CHANNELS, SEED, 0.001, 0.05, 100), s, new SourceStats());
        int in = train.inputWidth();
        NetworkSpec net = NetworkSpec.builder(in).dense(24).tanh().dense(8).tanh().dense(24).tanh().dense(in).build();
        TrainingSpec spec = TrainingSpec.defaults(LossKind.MSE).withOptimizer(OptimizerSpec.adam(3e-3f)).withBatch(BATCH);
        Trainer trainer = new Trainer(net, spec, KernelLoader.load("java"));
        float[] x = new float[BATCH * in];
        float[] y = new float[BATCH * in];
        int steps = 3000;
        double first = 0, last = 0;
        for (int step = 0; step < steps; ) {
            train.pump(BATCH * 4);
            int rows = train.nextBatch(x, y, BATCH);
            if (rows == 0) continue;
            float loss = trainer.step(x, 0, y, 0, rows);
            if (step < 100) first += loss / 100;
            if (step >= steps - 100) last += loss / 100;
            step++;
        }
        assertTrue(last < first / 4, "reconstruction error fell from " + first + " to " + last);

        // scoring: the same sensor (same seed: same signal shape) with more anomalies, window by window
        SimulatedSensor sensor = new SimulatedSensor(CHANNELS, SEED, 0.01, 0.05, 100);
        Settings score = s.withWindow(WINDOW, WINDOW);
        IngestPipeline p = new IngestPipeline(sensor, score, new SourceStats());
        Evaluator eval = trainer.evaluator();
        float[] out = new float[in];
        float[] wx = new float[in];
        float[] wy = new float[in];
        int anomalousInWindow = 0;
        double normalSum = 0, anomalySum = 0;
        int normalN = 0, anomalyN = 0;
        double[] normal = new double[20_000];
        double[] anomalous = new double[20_000];
        for (int i = 0; i < 60_000; i++) {
            p.pump(1);
            if (sensor.anomaly() != SimulatedSensor.Anomaly.NONE) anomalousInWindow++;
            if (p.nextBatch(wx, wy, 1) == 1) {
                eval.predict(wx, 1, out);
                double err = 0;
                for (int j = 0; j < in; j++) err += (out[j] - wx[j]) * (out[j] - wx[j]);
                err /= in;
                if (anomalousInWindow == 0) {
                    normal[normalN++] = err;
                    normalSum += err;
                } else if (anomalousInWindow >= 4) { // windows with a real stretch of anomaly, not one edge sample
                    anomalous[anomalyN++] = err;
                    anomalySum += err;
                }
                anomalousInWindow = 0;
            } else if (p.standardizer().count() < score.warmup()) {
                anomalousInWindow = 0;
            }
        }
        assertTrue(normalN > 1000 && anomalyN > 50, "normal windows " + normalN + ", anomalous " + anomalyN);
        double normalMean = normalSum / normalN;
        double anomalyMean = anomalySum / anomalyN;
        // AUC: the chance that an anomalous window scores above a normal one
        long above = 0;
        for (int a = 0; a < anomalyN; a++) for (int n = 0; n < normalN; n++) if (anomalous[a] > normal[n]) above++;
        double auc = (double) above / ((long) anomalyN * normalN);
        System.out.printf("autoencoder: loss %.4f -> %.4f; score normal %.4f, anomalous %.4f; AUC %.3f (%d normal, %d anomalous windows)%n",
                first, last, normalMean, anomalyMean, auc, normalN, anomalyN);
        assertTrue(anomalyMean > 3 * normalMean, "anomalous windows score " + anomalyMean + ", normal " + normalMean);
        assertTrue(auc > 0.9, "AUC " + auc);
    }
}
