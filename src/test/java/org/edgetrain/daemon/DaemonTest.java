package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Labeling;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceRunner;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.connect.Sources;
import org.edgetrain.ingest.sim.SimulatedSensor;
import org.edgetrain.io.Checkpoint;
import org.edgetrain.kernels.JavaKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonTest {
    @TempDir
    Path tmp;

    // the text: [source] sim, 3 channels, seed 4, anomaly_rate 0.002; warmup 200, window 16, stride 8; dense(16)
    // batchnorm leaky_relu dropout(0.1) dense(48); adam lr 0.002; batch 8; checkpoint_every 250; replay 300
    static final String CONFIG = SimDaemonConfig.text(200, 16, 8, 250, 300, "anomaly_rate = 0.002\n", "lr = 0.002\n");

    private static ConfigFile config(Path state, long maxSteps, String extra) {
        return ConfigFile.parse("test.conf", CONFIG + extra).with("daemon.state_dir", state.toString())
                .with("daemon.max_steps", Long.toString(maxSteps));
    }

    private static Daemon daemon(ConfigFile f) {
        RunConfig cfg = RunConfig.of(f);
        DaemonConfig dc = new DaemonConfig(f, null);
        IngestPipeline p = Sources.pipeline(SourceConfig.of(f, false));
        return new Daemon(cfg, dc, p, new JavaKernels(), new PrintStream(new ByteArrayOutputStream()));
    }

    private static float[] state(Daemon d) {
        Checkpoint c = new Checkpoint();
        d.trainer().saveState(c);
        if (!c.has("trainer.int16")) return c.floats("trainer.state");
        int[] q = c.ints("trainer.int16"); // int16 values, and every format's frac and counters
        long[] fm = c.longs("trainer.formats");
        float[] all = new float[q.length + fm.length];
        for (int i = 0; i < q.length; i++) all[i] = q[i];
        for (int i = 0; i < fm.length; i++) all[q.length + i] = fm[i];
        return all;
    }

    /** The test config in fixed point: int16 has no batchnorm and no adam, so a plain autoencoder with momentum. */
    static final String FIXED = CONFIG.replace("layers = dense(16) batchnorm leaky_relu dropout(0.1) dense(48)", "layers = dense(16) leaky_relu dense(48)")
            .replace("type = adam\nlr = 0.002", "type = momentum\nlr = 0.01") + "[engine]\nprecision = fixed\n";

    private static ConfigFile fixedConfig(Path state, long maxSteps, String extra) {
        return ConfigFile.parse("fixed.conf", FIXED.replace("[engine]", extra + "[engine]")).with("daemon.state_dir", state.toString())
                .with("daemon.max_steps", Long.toString(maxSteps));
    }

    @Test
    void resumingAfterACleanStopContinuesTheSameTrajectory() throws IOException {
        Daemon straight = daemon(config(tmp.resolve("a"), 900, ""));
        straight.run();

        Daemon first = daemon(config(tmp.resolve("b"), 400, ""));
        first.run();
        Daemon second = daemon(config(tmp.resolve("b"), 900, ""));
        assertTrue(second.resume() >= 400);
        second.run();

        assertEquals(straight.trainer().steps(), second.trainer().steps());
        assertArrayEquals(state(straight), state(second), "same seed: the same weights, optimizer state and statistics");

        // the control: a fresh start from the same config does not land on the same weights after 500 steps
        Daemon restart = daemon(config(tmp.resolve("c"), 500, ""));
        restart.run();
        assertTrue(!java.util.Arrays.equals(state(straight), state(restart)));
    }

    @Test
    void csvOutputHasOneScoredLinePerWindowAndAnomaliesScoreHigher() throws IOException {
        Path csv = tmp.resolve("scores.csv");
        ConfigFile f = config(tmp.resolve("o"), 1500, "output = csv\noutput_path = " + csv + "\n")
                .with("source.anomaly_rate", "0.01");
        Daemon d = daemon(f);
        d.run();
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals("window,step,score,anomaly", lines.get(0));
        double normal = 0, flagged = 0;
        int n = 0, a = 0;
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            double score = Double.parseDouble(c[2]);
            if (c[3].equals("1")) {
                flagged += score;
                a++;
            } else {
                normal += score;
                n++;
            }
        }
        assertTrue(n > 1000, "one line per window: " + lines.size());
        assertTrue(a > 0, "injected anomalies are flagged");
        assertTrue(flagged / a > 3 * normal / n, "anomalous windows score well above normal ones: " + flagged / a + " vs " + normal / n);
    }

    @Test
    void fineTuningFromAModelFileKeepsFrozenLayersAndTrainsTheRest() throws IOException {
        String layers = "[model]\nlayers = dense(16) leaky_relu dense(48)\nfreeze = 0\n";
        ConfigFile f = ConfigFile.parse("ft.conf", CONFIG.replace("[model]\nlayers = dense(16) batchnorm leaky_relu dropout(0.1) dense(48)\n", layers))
                .with("daemon.state_dir", tmp.resolve("ft").toString()).with("daemon.max_steps", "300");
        // a "desktop" model with other weights than the daemon's seed would give
        RunConfig cfg = RunConfig.of(f);
        org.edgetrain.train.Trainer desktop = new org.edgetrain.train.Trainer(cfg.network(48), cfg.training().withSeed(99), new JavaKernels());
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 48; i++) names.add("x" + i);
        Path model = tmp.resolve("desktop.etm");
        org.edgetrain.io.ModelFile.write(model, org.edgetrain.io.Model.of(desktop, names, java.util.List.of("y"),
                org.edgetrain.train.Standardizer.identity(48), java.util.Map.of()));
        Daemon d = daemon(f);
        d.initFrom(model);
        d.run();
        org.edgetrain.train.Trainer board = (org.edgetrain.train.Trainer) d.trainer();
        float[] before = desktop.arena().data(), after = board.arena().data();
        for (org.edgetrain.nn.Parameter p : board.network().state()) {
            org.edgetrain.nn.Parameter q = desktop.network().state().stream().filter(x -> x.name().equals(p.name())).findFirst().orElseThrow();
            float[] a = java.util.Arrays.copyOfRange(after, p.offset(), p.offset() + p.size());
            float[] b = java.util.Arrays.copyOfRange(before, q.offset(), q.offset() + q.size());
            if (p.name().startsWith("0.")) assertArrayEquals(b, a, p.name() + " is frozen: it keeps the desktop's weights");
            else assertTrue(!java.util.Arrays.equals(a, b), p.name() + " trains on the board");
        }
    }

    @Test
    void theFinalCheckpointHoldsTheStopStep() throws IOException {
        Daemon d = daemon(config(tmp.resolve("s"), 300, ""));
        d.run();
        CheckpointStore.Loaded l = d.store().latestValid(c -> true);
        assertEquals(d.trainer().steps(), l.step());
    }

    /** A sensor that fails: every 7th read, and a burst of 40 reads in a row later on. */
    static final class FlakySensor implements Source {
        final SimulatedSensor inner = new SimulatedSensor(3, 5, 0, 0.05, 0);
        long reads;

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public String[] channelNames() {
            return inner.channelNames();
        }

        @Override
        public long read(float[] v, int off) throws IOException {
            reads++;
            if (reads % 7 == 0 || (reads > 3000 && reads < 3040)) throw new IOException("i2c read failed (simulated)");
            return inner.read(v, off);
        }
    }

    @Test
    void aFailingSensorDoesNotStopTraining() throws IOException {
        ConfigFile f = config(tmp.resolve("f"), 400, "");
        SourceStats stats = new SourceStats();
        IngestPipeline.Settings s = IngestPipeline.Settings.defaults(Labeling.reconstruct()).withWindow(16, 8)
                .withStandardize(IngestPipeline.Standardize.FROZEN, 200);
        s = new IngestPipeline.Settings(s.missing(), s.outlierK(), s.standardize(), s.warmup(), s.window(), s.stride(), s.labeling(),
                s.ringCapacity(), 0, new SourceRunner.Policy(3, 1_000L, 10_000L, 100_000L));
        IngestPipeline p = new IngestPipeline(new FlakySensor(), s, stats);
        Daemon d = new Daemon(RunConfig.of(f), new DaemonConfig(f, null), p, new JavaKernels(), new PrintStream(new ByteArrayOutputStream()));
        d.run();
        assertEquals(400, d.trainer().steps());
        assertTrue(stats.get(SourceStats.Counter.READ_ERRORS) > 100, stats.line());
        assertTrue(stats.get(SourceStats.Counter.DISCONNECTS) >= 1, "the 40-read burst exhausts the retries: " + stats.line());
        assertTrue(Float.isFinite(d.trainer().lastLoss()));
    }

    @Test
    void aMemoryPlanOverTheBudgetRefusesToStartWithTheNumbers() {
        ConfigFile f = config(tmp.resolve("m"), 10, "memory_budget = 64k\n");
        org.edgetrain.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.edgetrain.BadInputException.class,
                () -> daemon(f));
        assertTrue(e.getMessage().contains("but daemon.memory_budget is 65,536"), e.getMessage());
        assertTrue(e.getMessage().contains("replay buffer"), e.getMessage());
    }

    @Test
    void fixedPointDaemonTrainsTheAutoencoderAsFp32Does() throws IOException {
        Daemon early = daemon(fixedConfig(tmp.resolve("fe"), 100, ""));
        early.run();
        Daemon late = daemon(fixedConfig(tmp.resolve("fl"), 2000, ""));
        late.run();
        assertEquals("int16", late.trainer().precision());
        double first = early.metrics().valLoss, last = late.metrics().valLoss;
        assertTrue(last < 0.5 * first, "held-out loss falls in int16: " + first + " -> " + last);
        // fp32 on the same config, for scale
        Daemon fp32 = daemon(ConfigFile.parse("fp32.conf", FIXED.replace("precision = fixed", "precision = fp32"))
                .with("daemon.state_dir", tmp.resolve("ff").toString()).with("daemon.max_steps", "2000"));
        fp32.run();
        assertEquals("fp32", fp32.trainer().precision());
        assertTrue(last < 1.5 * fp32.metrics().valLoss, "int16 " + last + " vs fp32 " + fp32.metrics().valLoss);
    }

    @Test
    void fixedPointResumingAfterACleanStopContinuesTheSameTrajectory() throws IOException {
        Daemon straight = daemon(fixedConfig(tmp.resolve("a"), 900, ""));
        straight.run();
        Daemon first = daemon(fixedConfig(tmp.resolve("b"), 400, ""));
        first.run();
        Daemon second = daemon(fixedConfig(tmp.resolve("b"), 900, ""));
        assertTrue(second.resume() >= 400);
        second.run();
        assertEquals(straight.trainer().steps(), second.trainer().steps());
        assertArrayEquals(state(straight), state(second), "int16 weights, velocities and formats resume bit for bit");
        Daemon restart = daemon(fixedConfig(tmp.resolve("c"), 500, ""));
        restart.run();
        assertTrue(!java.util.Arrays.equals(state(straight), state(restart)));
    }

    @Test
    void fixedPointWithTheGuardRunsAndResumes() throws IOException {
        Daemon d = daemon(fixedConfig(tmp.resolve("g"), 300, "guard = true\n"));
        d.run();
        assertTrue(d.trainer().guard() != null && d.trainer().guard().hasSnapshot());
        assertTrue(d.trainer().memoryPlan().format().contains("last good parameters and velocities"));
        Daemon again = daemon(fixedConfig(tmp.resolve("g"), 400, "guard = true\n"));
        assertTrue(again.resume() >= 300);
        again.run();
        assertEquals(400, again.trainer().steps());
    }

    @Test
    void anFp32CheckpointIsNotResumedByAFixedPointConfig() throws IOException {
        Daemon fp32 = daemon(ConfigFile.parse("fp32.conf", FIXED.replace("precision = fixed", "precision = fp32"))
                .with("daemon.state_dir", tmp.resolve("x").toString()).with("daemon.max_steps", "200"));
        fp32.run();
        Daemon fixed = daemon(fixedConfig(tmp.resolve("x"), 300, ""));
        assertEquals(-1, fixed.resume(), "the precision is part of the checkpoint's fingerprint");
    }

    /** The example daemon (examples/daemon-sim.conf) with momentum, the optimizer both precisions have, in {@code precision}. */
    private Daemon exampleDaemon(String precision) throws IOException {
        String text = java.nio.file.Files.readString(Path.of("examples/daemon-sim.conf")).replace("type = adam", "type = momentum")
                + "[engine]\nprecision = " + precision + "\n";
        return daemon(ConfigFile.parse("daemon-sim.conf", text).with("daemon.state_dir", tmp.resolve(precision).toString()));
    }

    @Test
    void theExampleDaemonPlansAtMost55PercentOfFp32sBytesInFixedPoint() throws IOException {
        Daemon fp32 = exampleDaemon("fp32"), fixed = exampleDaemon("fixed");
        // replay buffer 2048 rows and held-out slice 256 rows of 96 inputs and 96 targets: 4 bytes a value, then 2
        assertEquals(2048L * (96 + 96) * 4, fp32.replayBytes());
        assertEquals(2048L * (96 + 96) * 2, fixed.replayBytes());
        assertEquals(FP32_PLAN, fp32.plannedBytes());
        assertEquals(FIXED_PLAN, fixed.plannedBytes());
        assertTrue(fixed.plannedBytes() <= 0.55 * fp32.plannedBytes(), fixed.plannedBytes() + " of " + fp32.plannedBytes());
    }

    static final long FP32_PLAN = 1_960_256, FIXED_PLAN = 1_020_496; // 52.1 % (with the health monitor's 216 floats)

    @Test
    void int16RowsRoundTripWithinHalfAStepAndCountSaturations() {
        RowStore rows = RowStore.int16(4, 3, RowStore.STANDARDIZED_FRAC);
        float[] in = {0.123456f, -3.999f, 9.5f}, out = new float[3];
        rows.put(2, in, 0);
        rows.get(2, out, 0);
        assertEquals(in[0], out[0], 0.5f / 4096);
        assertEquals(in[1], out[1], 0.5f / 4096);
        assertEquals(32767f / 4096, out[2], 0f, "beyond ±8 standard deviations: clipped to the int16 range");
        assertEquals(1, rows.saturations());
        assertEquals(2L * 4 * 3, rows.bytes());
    }

    @Test
    void fixedPointRefusesUnstandardizedRowsNamingTheKey() {
        ConfigFile f = ConfigFile.parse("fx.conf", FIXED.replace("standardize = frozen", "standardize = off"))
                .with("daemon.state_dir", tmp.resolve("fx").toString());
        org.edgetrain.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.edgetrain.BadInputException.class,
                () -> daemon(f));
        assertTrue(e.getMessage().contains("key preprocess.standardize: found off; allowed with engine.precision = fixed: running, frozen"),
                e.getMessage());
    }

    @Test
    void metricsReadAtStepTenShowStepTenWhileTheLogWritesOnlyEveryFiveHundred() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Daemon d = daemon(config(tmp.resolve("m10"), 12, "status_port = " + port + "\n").with("daemon.log_every", "500").with("daemon.eval_every", "5"));
        String[] seen = new String[3];
        int p = port;
        d.afterStep(step -> {
            if (step != 10) return;
            try {
                seen[0] = StatusServerTest.get(p, "/metrics");
                seen[1] = StatusServerTest.get(p, "/health");
                seen[2] = StatusServerTest.get(p, "/");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        d.run();
        assertTrue(seen[0].contains("# TYPE edgetrain_steps_total counter\nedgetrain_steps_total 10\n"), seen[0]);
        String loss = seen[0].lines().filter(l -> l.startsWith("edgetrain_loss ")).findFirst().orElseThrow();
        assertTrue(Double.isFinite(Double.parseDouble(loss.substring(15))), loss);
        assertTrue(seen[0].contains("edgetrain_samples_total ") && !seen[0].contains("edgetrain_samples_total 0\n"), "source counters read at scrape time");
        String rss = seen[0].lines().filter(l -> l.startsWith("edgetrain_resident_bytes ")).findFirst().orElseThrow();
        assertTrue(Long.parseLong(rss.substring(25)) > 1 << 20, rss);
        assertTrue(seen[1].contains("\"steps\":10,"), seen[1]);
        assertTrue(seen[2].contains("<svg") && seen[2].contains("step 10 "), "the status page");
    }

    @Test
    void aStatusAddressOtherThanLoopbackNeedsATokenAndNamesAreRefused() {
        org.edgetrain.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.edgetrain.BadInputException.class,
                () -> new DaemonConfig(config(tmp, 1, "status_port = 8080\nstatus_address = 0.0.0.0\n"), null));
        assertTrue(e.getMessage().contains("daemon.status_token") && e.getMessage().contains("at least 16 characters"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.edgetrain.BadInputException.class,
                () -> new DaemonConfig(config(tmp, 1, "status_address = example.org\n"), null));
        assertTrue(e.getMessage().contains("daemon.status_address") && e.getMessage().contains("a literal IP address"), e.getMessage());
        DaemonConfig ok = new DaemonConfig(config(tmp, 1, "status_address = 0.0.0.0\nstatus_token = 0123456789abcdef\n"), null);
        assertEquals("0123456789abcdef", ok.statusToken);
        assertTrue(new DaemonConfig(config(tmp, 1, ""), null).statusAddress().isLoopbackAddress(), "loopback by default");
    }

    /** The hand scan of log.max_size accepts exactly what {@code \d+\s*(kb|mb|gb)} did (the value is lower-cased first). */
    @Test
    void logMaxSizeAcceptsWhatItsFormerExpressionDid() {
        for (String s : new String[] {"10mb", "512kb", "1gb", "10 mb", "10\tmb", "10\u000Bmb", "0kb", "10", "mb", " 10mb", "10mb ", "10 m b", "10kbb",
                "1.5mb", "10\u00a0mb", "\u0661\u0660mb", "-1mb", "10tb", "10b", ""}) {
            assertEquals(s.matches("\\d+\\s*(kb|mb|gb)"), DaemonConfig.isSize(s), org.edgetrain.util.Untrusted.quote(s));
        }
        assertEquals(10L * 1024 * 1024, DaemonConfig.bytes("10mb"));
        assertEquals(512L * 1024, DaemonConfig.bytes("512 kb"));
        assertEquals(3L * 1024 * 1024 * 1024, DaemonConfig.bytes("3\u000Bgb"));
        assertEquals(-1, DaemonConfig.bytes("9999999999gb"), "a size past a long is no size");
        var tooBig = org.junit.jupiter.api.Assertions.assertThrows(org.edgetrain.BadInputException.class,
                () -> new DaemonConfig(config(tmp, 1, "").with("log.max_size", "99999999999999999999mb"), null));
        assertTrue(tooBig.getMessage().contains("key log.max_size: found '99999999999999999999mb'"), tooBig.getMessage());
        assertEquals("127.0.0.1", new DaemonConfig(config(tmp, 1, "status_address = 127.0.0.1\n"), null).statusAddress().getHostAddress());
        assertEquals("127.0.0.1", new DaemonConfig(config(tmp, 1, ""), null).statusAddress().getHostAddress());
    }
}
