package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.connect.Sources;
import org.edgetrain.ingest.sim.SimulatedSensor;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time-layer examples as the daemon runs them ({@code edgetrain run --config examples/...}), then scored on a
 * fresh stream of the same simulated sensor whose ground truth ({@link SimulatedSensor#anomaly()}) is known:
 * <ul>
 *   <li>examples/daemon-conv.conf (a convolutional autoencoder) detects the injected anomalies at least as well (AUC)
 *       as examples/daemon-sim.conf (the dense autoencoder), with fewer parameters, after the same number of steps;</li>
 *   <li>examples/forecast-gru.conf predicts the next sample with a lower mean squared error than persistence
 *       (next = last).</li>
 * </ul>
 */
class TimeSeriesExamplesTest {
    static final int STEPS = 3000;

    @TempDir
    Path tmp;

    private Daemon train(String example, String state) throws IOException {
        ConfigFile f = ConfigFile.read(Path.of("examples", example)).with("daemon.state_dir", tmp.resolve(state).toString())
                .with("daemon.max_steps", Integer.toString(STEPS)).with("daemon.output", "off");
        Daemon d = new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, d.run());
        assertEquals(STEPS, d.trainer().steps());
        return d;
    }

    /** A fresh stream of the example's sensor (same signal), non-overlapping windows, with ground truth per window. */
    private static IngestPipeline stream(String example, double anomalyRate, SimulatedSensor[] sensor) throws IOException {
        ConfigFile f = ConfigFile.read(Path.of("examples", example));
        SourceConfig sc = SourceConfig.of(f, false);
        IngestPipeline configured = Sources.pipeline(sc);
        IngestPipeline.Settings s = configured.settings();
        sensor[0] = new SimulatedSensor(configured.features(), sc.seed(), anomalyRate, sc.noise(), 100);
        configured.close();
        return new IngestPipeline(sensor[0], s.withWindow(s.window(), s.window()), new SourceStats());
    }

    /** Scores of normal windows (index 0) and windows with at least one anomalous sample (index 1). */
    private static double[][] scores(Trainer t, String example) throws IOException {
        SimulatedSensor[] sensor = new SimulatedSensor[1];
        IngestPipeline p = stream(example, 0.01, sensor);
        float[] x = new float[p.inputWidth()], y = new float[p.targetWidth()];
        double[] normal = new double[10_000], anomalous = new double[10_000];
        int nn = 0, na = 0, inWindow = 0;
        for (int i = 0; i < 120_000 && nn < normal.length && na < anomalous.length; i++) {
            p.pump(1);
            if (sensor[0].anomaly() != SimulatedSensor.Anomaly.NONE) inWindow++;
            if (p.nextBatch(x, y, 1) == 1) {
                double score = t.score(x, 0, y, 0, 1);
                if (inWindow == 0) normal[nn++] = score;
                else anomalous[na++] = score;
                inWindow = 0;
            }
        }
        assertTrue(nn > 1000 && na > 100, "normal windows " + nn + ", anomalous " + na);
        return new double[][] {Arrays.copyOf(normal, nn), Arrays.copyOf(anomalous, na)};
    }

    /** The chance that an anomalous window scores above a normal one (ties count half). */
    static double auc(double[] normal, double[] anomalous) {
        double above = 0;
        for (double a : anomalous) for (double n : normal) above += a > n ? 1 : a == n ? 0.5 : 0;
        return above / ((double) normal.length * anomalous.length);
    }

    @Test
    void convolutionalAutoencoderDetectsAnomaliesAtLeastAsWellAsTheDenseOneWithFewerParameters() throws IOException {
        Trainer conv = (Trainer) train("daemon-conv.conf", "conv").trainer(); // fp32: the Step is a Trainer
        Trainer dense = (Trainer) train("daemon-sim.conf", "dense").trainer();
        long pc = conv.network().trainableParameterCount(), pd = dense.network().trainableParameterCount();
        double[][] sc = scores(conv, "daemon-conv.conf"), sd = scores(dense, "daemon-sim.conf");
        double aucConv = auc(sc[0], sc[1]), aucDense = auc(sd[0], sd[1]);
        System.out.printf("anomaly AUC after %d steps: conv autoencoder %.4f (%d parameters), dense autoencoder %.4f (%d parameters); "
                + "%d normal, %d anomalous windows%n", STEPS, aucConv, pc, aucDense, pd, sc[0].length, sc[1].length);
        assertTrue(pc <= pd, "conv " + pc + " parameters, dense " + pd);
        assertTrue(aucConv >= aucDense, "AUC conv " + aucConv + " < dense " + aucDense);
        assertTrue(aucConv > 0.9, "AUC conv " + aucConv);
    }

    @Test
    void gruForecasterBeatsPersistence() throws IOException {
        Trainer gru = (Trainer) train("forecast-gru.conf", "gru").trainer();
        SimulatedSensor[] sensor = new SimulatedSensor[1];
        IngestPipeline p = stream("forecast-gru.conf", 0, sensor);
        int ch = p.features(), in = p.inputWidth();
        float[] x = new float[in], y = new float[ch], pred = new float[ch];
        double model = 0, persistence = 0;
        int n = 0;
        for (int i = 0; i < 100_000 && n < 2000; i++) {
            p.pump(1);
            if (p.nextBatch(x, y, 1) == 1) {
                gru.evaluator().predict(x, 1, pred);
                for (int c = 0; c < ch; c++) {
                    model += (pred[c] - y[c]) * (pred[c] - y[c]) / ch;
                    float last = x[in - ch + c]; // next = last
                    persistence += (last - y[c]) * (last - y[c]) / ch;
                }
                n++;
            }
        }
        model /= n;
        persistence /= n;
        System.out.printf("forecast MSE after %d steps over %d windows: gru %.5f, persistence %.5f (%d parameters)%n", STEPS, n, model,
                persistence, gru.network().trainableParameterCount());
        assertTrue(n == 2000, "windows " + n);
        assertTrue(model < persistence, "gru MSE " + model + ", persistence " + persistence);
    }
}
