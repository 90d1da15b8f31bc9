package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.edgetrain.io.Checkpoint;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.train.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int16 convolutional autoencoder as the daemon runs it ({@code edgetrain run --config
 * examples/daemon-conv-int16.conf}): it resumes bit for bit after a clean stop, and on a fresh stream of the simulated
 * sensor it detects the injected anomalies (AUC) like the same model trained in fp32 after the same steps.
 */
class FixedConvDaemonTest {
    static final String EXAMPLE = "daemon-conv-int16.conf";
    static final int STEPS = 3000;

    @TempDir
    Path tmp;

    private static ConfigFile example(Path state, long maxSteps, String precision) throws IOException {
        return ConfigFile.read(Path.of("examples", EXAMPLE)).with("engine.precision", precision).with("daemon.state_dir", state.toString())
                .with("daemon.max_steps", Long.toString(maxSteps)).with("daemon.output", "off");
    }

    private static Daemon daemon(ConfigFile f) {
        return new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
    }

    /** The int16 values and every format's scale and counters, as floats (all exact). */
    private static float[] state(Daemon d) {
        Checkpoint c = new Checkpoint();
        d.trainer().saveState(c);
        int[] q = c.ints("trainer.int16");
        long[] fm = c.longs("trainer.formats");
        float[] all = new float[q.length + fm.length];
        for (int i = 0; i < q.length; i++) all[i] = q[i];
        for (int i = 0; i < fm.length; i++) all[q.length + i] = fm[i];
        return all;
    }

    @Test
    void int16ConvDaemonResumesBitIdenticallyAfterACleanStop() throws IOException {
        Daemon straight = daemon(example(tmp.resolve("a"), 600, "fixed"));
        assertEquals(0, straight.run());
        assertEquals("int16", straight.trainer().precision());
        Daemon first = daemon(example(tmp.resolve("b"), 300, "fixed"));
        assertEquals(0, first.run());
        Daemon second = daemon(example(tmp.resolve("b"), 600, "fixed"));
        assertTrue(second.resume() >= 300);
        assertEquals(0, second.run());
        assertEquals(straight.trainer().steps(), second.trainer().steps());
        assertArrayEquals(state(straight), state(second), "int16 conv weights, velocities and formats resume bit for bit");
        Daemon shorter = daemon(example(tmp.resolve("c"), 400, "fixed"));
        shorter.run();
        assertFalse(Arrays.equals(state(straight), state(shorter)), "the state does change with training");
    }

    @Test
    void int16ConvAutoencoderDetectsAnomaliesLikeFp32() throws IOException {
        Daemon fixed = daemon(example(tmp.resolve("int16"), STEPS, "fixed"));
        assertEquals(0, fixed.run());
        Daemon fp32 = daemon(example(tmp.resolve("fp32"), STEPS, "fp32"));
        assertEquals(0, fp32.run());
        assertEquals("int16", fixed.trainer().precision());
        assertEquals("fp32", fp32.trainer().precision());
        ConfigFile f = ConfigFile.read(Path.of("examples", EXAMPLE));
        double aucFixed = auc(fixed.trainer(), f), aucFp32 = auc(fp32.trainer(), f);
        System.out.printf("anomaly AUC after %d steps, %s: int16 %.4f, fp32 %.4f; held-out loss int16 %.4f, fp32 %.4f%n", STEPS, EXAMPLE,
                aucFixed, aucFp32, fixed.metrics().valLoss, fp32.metrics().valLoss);
        assertTrue(aucFixed > 0.95, "int16 AUC " + aucFixed);
        assertTrue(aucFixed >= aucFp32 - 0.01, "int16 AUC " + aucFixed + " against fp32 " + aucFp32);
        assertTrue(fixed.metrics().valLoss < 1.25 * fp32.metrics().valLoss, "held-out loss int16 " + fixed.metrics().valLoss + ", fp32 "
                + fp32.metrics().valLoss);
    }

    /** The chance that a window with an anomaly scores above a normal one, on a fresh stream of the example's sensor. */
    private static double auc(Step t, ConfigFile f) throws IOException {
        SourceConfig sc = SourceConfig.of(f, false);
        IngestPipeline configured = Sources.pipeline(sc);
        IngestPipeline.Settings s = configured.settings();
        SimulatedSensor sensor = new SimulatedSensor(configured.features(), sc.seed(), 0.01, sc.noise(), 100);
        configured.close();
        IngestPipeline p = new IngestPipeline(sensor, s.withWindow(s.window(), s.window()), new SourceStats());
        float[] x = new float[p.inputWidth()], y = new float[p.targetWidth()];
        double[] normal = new double[10_000], anomalous = new double[10_000];
        int nn = 0, na = 0, inWindow = 0;
        for (int i = 0; i < 120_000 && nn < normal.length && na < anomalous.length; i++) {
            p.pump(1);
            if (sensor.anomaly() != SimulatedSensor.Anomaly.NONE) inWindow++;
            if (p.nextBatch(x, y, 1) == 1) {
                double score = t.score(x, 0, y, 0, 1);
                if (inWindow == 0) normal[nn++] = score;
                else anomalous[na++] = score;
                inWindow = 0;
            }
        }
        assertTrue(nn > 1000 && na > 100, "normal windows " + nn + ", anomalous " + na);
        return TimeSeriesExamplesTest.auc(Arrays.copyOf(normal, nn), Arrays.copyOf(anomalous, na));
    }
}
