package org.edgetrain.daemon;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32;
import org.edgetrain.BadInputException;
import org.edgetrain.config.RunConfig;
import org.edgetrain.fleet.FleetServer;
import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.io.Checkpoint;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.config.Engine;
import org.edgetrain.fixed.FixedKernelLoader;
import org.edgetrain.train.FixedTrainer;
import org.edgetrain.train.Step;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;
import org.edgetrain.log.Log;

/**
 * The training loop of {@code edgetrain run}:
 *
 * <pre>
 * source ─► preprocessing ─► window ─► score (anomaly / prediction error) ─► outputs
 *                                 └──► every holdout-th window: held-out slice; the rest: replay buffer (reservoir)
 * every step_every new windows: a mini-batch from the replay buffer ─► Trainer.step (health statistics, guard)
 * every log_every steps: a key=value line; eval_every: loss on the held-out slice; checkpoint_every / _seconds: checkpoint
 * </pre>
 *
 * <p>With {@code source.rate_hz = 0} the source is read on this thread ({@link IngestPipeline#pump}), so a run is a
 * deterministic function of the seed and a resumed run continues the very same trajectory; with a rate, the source has
 * its own thread and the loop takes what has arrived.
 */
public final class Daemon {
    private final RunConfig cfg;
    private final DaemonConfig dc;
    private final IngestPipeline pipeline;
    private final boolean pumped;
    private final Step trainer;
    private final ReplayBuffer replay;
    private final RowStore holdX, holdY;
    private final float[] winX, winY, batchX, batchY;
    private final int batch, inWidth, targetWidth;
    private final CheckpointStore store;
    private final Metrics metrics = new Metrics();
    private final StatusHistory history; // null without a status page: nothing to draw, nothing kept
    private java.util.function.LongConsumer afterStep; // null: nobody listens
    private final String fingerprint, fleetFingerprint;
    private final PrintStream out;
    private final long plannedBytes;
    private volatile boolean stopRequested;
    // the fleet API's work, run on this thread between two steps (see DaemonFleetMember)
    // null without the fleet API: a blocking queue loads its locks' classes (~9) for nothing then
    private final java.util.concurrent.LinkedBlockingQueue<Runnable> fleetTasks;
    /** With the fleet API on, the daemon trains only when the fleet asks: a budget of new windows to train on. */
    boolean fleetPaced;
    long fleetWindowsLeft, fleetSteps;
    double fleetLossSum, fleetLrSum;
    /** SCAFFOLD's c − c_i during a fleet round that sent one: after each step, weights −= lr·correction. */
    java.util.List<org.edgetrain.nn.TensorData> fleetCorrection;
    java.util.concurrent.CompletableFuture<Void> fleetWindowsDone;

    // counters (checkpointed)
    private long windows, holdCount, newSinceStep;
    // since the last log line
    private double lossSum, scoreSum;
    private long lossSteps, scored, anomalies, lastLogSteps;
    private long lastLogNanos;
    // anomaly threshold: running mean and variance of scores (Welford)
    private long scoreN;
    private double scoreMean, scoreM2, lastScore = Double.NaN, valLoss = Double.NaN;
    private BufferedWriter csv;
    private long episodeStart, episodeWindows;
    private double episodeMax;
    private org.edgetrain.connect.mqtt.MqttOutput mqtt; // daemon.output = mqtt; named only there, so Paho loads only then

    /**
     * @param pipeline the ingest path (not started); its input and target widths size the network's ends
     * @param out      where {@code output = stdout} writes
     */
    public Daemon(RunConfig cfg, DaemonConfig dc, IngestPipeline pipeline, Kernels kernels, PrintStream out) {
        this(cfg, dc, pipeline, (net, spec, health) -> cfg.fixedPoint()
                ? new FixedTrainer(net, spec, FixedKernelLoader.load(cfg.kernels()), cfg.rounding(), health)
                : new Trainer(net, spec, kernels, health), out);
    }

    /**
     * The daemon as {@code edgetrain run} starts it: the step of the config's precision ({@link Engine}), kernels by
     * name ({@code --kernels} or {@code engine.kernels}) and {@code threads} as {@code threadsFlag} set them.
     */
    public Daemon(RunConfig cfg, DaemonConfig dc, IngestPipeline pipeline, String kernels, int threads, String threadsFlag,
                  PrintStream out) {
        this(cfg, dc, pipeline, new EngineStep(cfg, kernels, threads, threadsFlag), out);
    }

    /** Builds the step once the pipeline has fixed the network's widths. */
    private interface StepMaker {
        Step make(NetworkSpec net, TrainingSpec spec, HealthSpec health);
    }

    private Daemon(RunConfig cfg, DaemonConfig dc, IngestPipeline pipeline, StepMaker maker, PrintStream out) {
        this.cfg = cfg;
        this.dc = dc;
        this.fleetTasks = dc.fleet.enabled() ? new java.util.concurrent.LinkedBlockingQueue<>() : null;
        this.pipeline = pipeline;
        this.out = out;
        this.pumped = pipeline.settings().rateHz() == 0 && !(pipeline.source() instanceof org.edgetrain.ingest.files.StdinSource)
                && !pipeline.source().live();
        if (cfg.fixedPoint() && pipeline.settings().standardize() == org.edgetrain.ingest.IngestPipeline.Standardize.OFF) {
            throw new BadInputException(cfg.source() + ": key preprocess.standardize: found off; allowed with engine.precision = fixed: "
                    + "running, frozen (the replay buffer and held-out slice keep int16 rows on the standardized scale)");
        }
        this.inWidth = pipeline.inputWidth();
        this.targetWidth = pipeline.targetWidth();
        NetworkSpec net = cfg.network(inWidth, pipeline.features());
        TrainingSpec spec = cfg.training();
        this.batch = spec.batch();
        HealthSpec health = cfg.health().withGuard(cfg.health().guard() || dc.guard);
        // the budget and the heap are checked against the plan before anything is allocated (a replay buffer of a
        // million rows once died in ReplayBuffer.<init> with OutOfMemoryError instead of the budget message)
        boolean int16 = cfg.fixedPoint();
        int chunk = Math.max(batch, 16);
        long rowBytes = int16 ? 2 : 4; // the replay buffer and held-out slice keep int16 rows in fixed point
        long arenaBytes = (int16 ? FixedTrainer.plan(net, spec, health) : Trainer.plan(net, spec, health)).totalBytes();
        long replayBytes = rowBytes * dc.replay * ((long) inWidth + targetWidth);
        long holdBytes = rowBytes * dc.holdoutRows * ((long) inWidth + targetWidth);
        long ring = (long) pipeline.settings().ringCapacity() * (4L * (pipeline.features() + 1) + 8);
        long planned = arenaBytes + replayBytes + holdBytes + 4L * (chunk + (long) batch) * (inWidth + targetWidth) + ring;
        // plain concatenation, not String.format: Formatter would load the locale providers for this one line (README)
        String breakdown = MemoryPlan.group(planned) + " bytes (arena " + MemoryPlan.group(arenaBytes) + ", replay buffer "
                + MemoryPlan.group(replayBytes) + " for " + dc.replay + " rows, held-out slice " + MemoryPlan.group(holdBytes)
                + ", ring " + MemoryPlan.group(ring) + ")";
        if (dc.memoryBudget > 0 && planned > dc.memoryBudget) {
            throw new BadInputException(String.format(Locale.ROOT, "%s: the daemon plans %s but daemon.memory_budget is %s; "
                    + "lower daemon.replay or the model's size", cfg.source(), breakdown, MemoryPlan.group(dc.memoryBudget)));
        }
        org.edgetrain.memory.HeapCheck.require(planned, cfg.source() + ": the daemon's plan of " + breakdown);
        this.trainer = maker.make(net, spec, health);
        if (trainer.targetWidth() != targetWidth) {
            throw new BadInputException(cfg.source() + ": the model ends with " + net.outputs() + " outputs, so loss "
                    + spec.loss().configName() + " needs targets " + trainer.targetWidth() + " wide, but label.mode gives "
                    + targetWidth + " (reconstruct: window × features; forecast: features; column/gpio: 1); "
                    + "set the last dense layer to " + (spec.loss() == LossKind.CROSS_ENTROPY ? "the number of classes" : targetWidth));
        }
        // with int16 training the stored rows are int16 too: features standardized, labels whole class numbers
        int targetFrac = spec.loss().isClassification() ? 0 : RowStore.STANDARDIZED_FRAC;
        this.replay = new ReplayBuffer(dc.replay, rows(int16, dc.replay, inWidth, RowStore.STANDARDIZED_FRAC),
                rows(int16, dc.replay, targetWidth, targetFrac), inWidth, targetWidth, Rng.stream(spec.seed(), "replay"));
        this.holdX = rows(int16, dc.holdoutRows, inWidth, RowStore.STANDARDIZED_FRAC);
        this.holdY = rows(int16, dc.holdoutRows, targetWidth, targetFrac);
        this.winX = new float[chunk * inWidth];
        this.winY = new float[chunk * targetWidth];
        this.batchX = new float[batch * inWidth];
        this.batchY = new float[batch * targetWidth];
        this.store = new CheckpointStore(dc.stateDir.resolve("checkpoints"), dc.keep);
        this.history = dc.statusPort > 0 ? new StatusHistory() : null;
        this.fingerprint = fingerprint(net, spec, trainer.precision());
        // the fleet averages fp32 weights: int16 and fp32 members of one model, loss, optimizer and batch agree
        this.fleetFingerprint = fingerprint(net, spec, "fp32");
        // what was allocated, as planned above
        this.plannedBytes = trainer.memoryPlan().totalBytes() + replay.bytes() + (holdX.bytes() + holdY.bytes())
                + 4L * (winX.length + winY.length + batchX.length + batchY.length) + ring;
        metrics.arenaBytes = trainer.memoryPlan().totalBytes();
        metrics.source(pipeline.stats());
        trainer.health().setListener(new HealthProblem());
    }

    private static RowStore rows(boolean int16, int rows, int width, int frac) {
        return int16 ? RowStore.int16(rows, width, frac) : RowStore.fp32(rows, width);
    }

    /**
     * A hash of what a checkpoint must match: the layers, the input width, the loss, the optimizer kind and the
     * precision (fp32 hashes as before, so existing checkpoints still resume).
     */
    private static String fingerprint(NetworkSpec net, TrainingSpec spec, String precision) {
        CRC32 c = new CRC32();
        c.update((net.inputs() + (net.readsTime() ? "x" + net.channels() : "") + "|" + net.layersText() + "|" + net.frozen() + "|" + spec.loss() + "|" + spec.optimizer().kind() + "|"
                + spec.batch() + (precision.equals("fp32") ? "" : "|" + precision)).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(c.getValue());
    }

    public Step trainer() {
        return trainer;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Called on the training thread after every step with the step count (tests read the endpoint mid-run). */
    void afterStep(java.util.function.LongConsumer listener) {
        this.afterStep = listener;
    }

    public CheckpointStore store() {
        return store;
    }

    /** Bytes of the replay buffer's rows (int16 with {@code engine.precision = fixed}). */
    public long replayBytes() {
        return replay.bytes();
    }

    /** Bytes the daemon planned: the arena, the replay buffer, the held-out slice, the batch arrays and the ring. */
    public long plannedBytes() {
        return plannedBytes;
    }

    /** Asks the loop to stop after the current step; safe from a signal handler or another thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Resumes from the newest valid checkpoint that fits this config, if any. A checkpoint whose CRC is right but whose
     * contents are not (a writer bug, tampering, an old layout) is skipped with one warning, like a damaged one: its
     * sections must have this config's names, kinds and lengths, its counters their ranges, and whatever still fails
     * while it is applied puts the fresh state back before the next older checkpoint is tried.
     *
     * @return the step resumed from, or -1 when starting fresh
     */
    public long resume() throws IOException {
        Checkpoint fresh = state();
        CheckpointStore.Loaded l = store.latestValid(new Resumable(fresh));
        if (l == null) return -1;
        Log.info("resumed from {} (step {}, {} windows seen)", l.file(), trainer.steps(), windows);
        return trainer.steps();
    }

    /** Puts a checkpoint's state in place; its layout has been checked, its values are checked here. */
    private void apply(Checkpoint c) {
        long[] k = c.longs("daemon.counters");
        long[] r = c.has("daemon.replay.size") ? c.longs("daemon.replay.size") : new long[] {0, 0};
        CheckpointFit.requireRange("daemon.counters[windows]", k[0], 0, Long.MAX_VALUE);
        CheckpointFit.requireRange("daemon.counters[holdout]", k[1], 0, k[0]);
        CheckpointFit.requireRange("daemon.counters[since_step]", k[2], 0, dc.stepEvery - 1);
        CheckpointFit.requireRange("daemon.counters[scores]", k[3], 0, k[0]);
        CheckpointFit.requireRange("daemon.replay.size[rows]", r[0], 0, replay.capacity());
        CheckpointFit.requireRange("daemon.replay.size[seen]", r[1], r[0], Long.MAX_VALUE);
        for (long v : c.longs("trainer.counters")) CheckpointFit.requireRange("trainer.counters", v, 0, Long.MAX_VALUE);
        double[] sc = c.doubles("daemon.scores");
        CheckpointFit.requireFinite("daemon.scores", sc);
        trainer.loadState(c);
        pipeline.loadState(c);
        windows = k[0];
        holdCount = k[1];
        newSinceStep = k[2];
        scoreN = k[3];
        scoreMean = sc[0];
        scoreM2 = sc[1];
        holdX.load(c, "daemon.holdout.x");
        holdY.load(c, "daemon.holdout.y");
        replay.rng().setState(c.ints("daemon.replay.rng"));
        if (trainer instanceof Trainer t && c.has("daemon.optimizer_restart")) t.optimizer().setRestartedAt(c.longs("daemon.optimizer_restart")[0]);
        if (c.has("daemon.replay.size")) { // RowStore.load checks each length against this config's buffer
            replay.xRows().load(c, "daemon.replay.x");
            replay.yRows().load(c, "daemon.replay.y");
            replay.restore((int) r[0], r[1]);
        }
    }

    /**
     * Starts from given weights instead of the seeded initialization: an edgetrain model file or PyTorch safetensors
     * with {@code nn.Sequential} names (offline fine-tuning; {@code model.freeze} keeps chosen layers fixed).
     */
    public void initFrom(Path weights) throws IOException {
        var tensors = org.edgetrain.io.ModelFile.looksLikeModel(weights) ? org.edgetrain.io.ModelFile.read(weights).tensors()
                : org.edgetrain.io.Safetensors.read(weights).tensors();
        trainer.importTensors(tensors, weights.toString()); // also the guard's last good state
        Log.info("initialized from {}", weights);
    }

    /** Writes a checkpoint now (unless the model is not finite); returns its file or null. */
    public Path checkpoint() throws IOException {
        Path f = store.write(state(), trainer.steps());
        if (f != null) metrics.checkpoints++;
        return f;
    }

    /** Everything resuming needs, as a checkpoint in memory. */
    private Checkpoint state() {
        Checkpoint c = new Checkpoint().meta("fingerprint", fingerprint).meta("layers", trainer.networkSpec().layersText())
                .meta("written_at", org.edgetrain.log.Timestamp.isoUtc(System.currentTimeMillis())); // not java.time: ~60 classes
        trainer.saveState(c);
        pipeline.saveState(c);
        c.longs("daemon.counters", new long[] {windows, holdCount, newSinceStep, scoreN});
        c.doubles("daemon.scores", new double[] {scoreMean, scoreM2});
        holdX.save(c, "daemon.holdout.x");
        holdY.save(c, "daemon.holdout.y");
        c.ints("daemon.replay.rng", replay.rng().state());
        if (trainer instanceof Trainer t) c.longs("daemon.optimizer_restart", new long[] {t.optimizer().restartedAt()});
        if (dc.replayInCheckpoint) {
            replay.xRows().save(c, "daemon.replay.x");
            replay.yRows().save(c, "daemon.replay.y");
            c.longs("daemon.replay.size", new long[] {replay.size(), replay.seen()});
        }
        return c;
    }

    /**
     * Runs until a stop is requested, {@code daemon.max_steps} steps are taken, or a finite source ends; then writes a
     * final checkpoint.
     *
     * @return 0
     */
    public int run() throws IOException {
        if (dc.output == DaemonConfig.Output.CSV) {
            Files.createDirectories(dc.outputPath.toAbsolutePath().getParent());
            boolean fresh = !Files.exists(dc.outputPath);
            csv = Files.newBufferedWriter(dc.outputPath, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) csv.write("window,step,score,anomaly\n");
        }
        if (dc.output == DaemonConfig.Output.MQTT) mqtt = org.edgetrain.connect.mqtt.MqttOutput.open(dc.mqtt);
        StatusServer status = dc.statusPort > 0 ? startStatus() : null;
        FleetServer fleetServer = null;
        try {
            if (dc.fleet.enabled()) {
                fleetPaced = true;
                fleetServer = new FleetServer(dc.fleet, new DaemonFleetMember(this, dc.fleet));
                Log.info("fleet API: http://127.0.0.1:{}/v1/ (token from {}); training only when the fleet asks", fleetServer.port(),
                        dc.fleet.tokenFile());
            }
        } catch (IOException | RuntimeException e) {
            if (status != null) status.close();
            if (mqtt != null) mqtt.close();
            if (csv != null) csv.close();
            throw e;
        }
        if (!pumped) pipeline.start();
        metrics.training = true;
        metrics.steps = trainer.steps();
        lastLogNanos = System.nanoTime();
        lastLogSteps = trainer.steps();
        long lastCheckpointNanos = System.nanoTime();
        try {
            while (!stopRequested && (dc.maxSteps == 0 || trainer.steps() < dc.maxSteps)) {
                if (pumped) pipeline.pump(pipeline.settings().stride());
                int rows = pumped ? pipeline.nextBatch(winX, winY, winX.length / inWidth)
                        : pipeline.nextBatch(winX, winY, winX.length / inWidth, 50_000_000L);
                for (int r = 0; r < rows && !stopRequested; r++) window(r);
                runFleetTasks(rows == 0 && fleetPaced && (pumped || pipeline.finished()));
                if (rows == 0 && pipeline.finished()) {
                    if (!sourceEndLogged) Log.info("source ended after {} windows{}", windows, fleetPaced ? "; serving the fleet" : "");
                    sourceEndLogged = true;
                    if (!fleetPaced) break;
                }
                long steps = trainer.steps();
                boolean byTime = System.nanoTime() - lastCheckpointNanos > dc.checkpointSeconds * 1_000_000_000L;
                if (steps > 0 && (steps % dc.checkpointEvery == 0 || byTime) && newSinceCheckpoint(steps)) {
                    checkpointRetry.attempt(writeCheckpoint, store.fileFor(steps));
                    lastCheckpointNanos = System.nanoTime();
                }
            }
        } finally {
            metrics.training = false;
            Path f = checkpointRetry.attempt(writeCheckpoint, store.fileFor(trainer.steps()));
            Log.info("stopped at step {}: {}", trainer.steps(), f != null ? "checkpoint " + f
                    : checkpointRetry.failures() > 0 ? "no checkpoint written (the write failed; the previous one stands)"
                    : "no checkpoint written (model not finite)");
            pipeline.close();
            if (csv != null) csv.close();
            if (status != null) status.close();
            if (fleetServer != null) fleetServer.close();
            if (mqtt != null) mqtt.close();
        }
        return 0;
    }

    private StatusServer startStatus() throws IOException {
        StatusPage page = new StatusPage(metrics, history, store, cfg.source());
        java.util.Map<String, StatusServer.Route> routes = new java.util.LinkedHashMap<>();
        routes.put("/", new StatusServer.Route("text/html; charset=utf-8", page::render));
        routes.put("/health", StatusServer.Route.of("application/json", metrics::health));
        routes.put("/metrics", StatusServer.Route.of("text/plain; version=0.0.4; charset=utf-8", metrics::prometheus));
        String host = dc.statusAddress().getHostAddress();
        StatusServer s;
        try {
            s = new StatusServer(dc.statusAddress(), dc.statusPort, dc.statusToken, routes, StatusServer.Limits.DEFAULT);
        } catch (java.net.BindException e) { // in use, or an address this machine does not have: one line, exit 2
            throw new org.edgetrain.BadInputException("daemon.status_port = " + dc.statusPort + ": cannot listen on " + host + " port " + dc.statusPort
                    + " (" + e.getMessage() + "); expected a free port, or 0 for off");
        }
        Log.info("status page: http://{}:{}/ (and /health, /metrics){}", host.contains(":") ? "[" + host + "]" : host, s.port(),
                dc.statusToken.isEmpty() ? "" : ", token required");
        return s;
    }

    private long lastCheckpointStep = -1;
    private final CheckpointRetry checkpointRetry = new CheckpointRetry();
    private final CheckpointRetry.Write writeCheckpoint = new WriteCheckpoint();
    private boolean sourceEndLogged;

    /** Runs the fleet API's pending work; with {@code idle}, waits briefly for some (nothing else to do). */
    private void runFleetTasks(boolean idle) {
        if (fleetTasks == null) return;
        Runnable t = fleetTasks.poll();
        if (t == null && idle) {
            try {
                t = fleetTasks.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
        }
        for (; t != null; t = fleetTasks.poll()) t.run();
    }

    /** Queues work for the trainer thread (the fleet API's thread calls this). */
    void submitToTrainer(Runnable work) {
        fleetTasks.add(work);
    }

    boolean stopping() {
        return stopRequested;
    }

    private boolean newSinceCheckpoint(long steps) {
        if (steps == lastCheckpointStep) return false;
        lastCheckpointStep = steps;
        return true;
    }

    /** One new window: score it, route it to the held-out slice or the replay buffer, step when due. */
    private void window(int r) throws IOException {
        windows++;
        int xo = r * inWidth, yo = r * targetWidth;
        float score = trainer.score(winX, xo, winY, yo, 1);
        output(score);
        if (windows % dc.holdout == 0) {
            int slot = (int) (holdCount++ % dc.holdoutRows);
            holdX.put(slot, winX, xo);
            holdY.put(slot, winY, yo);
            return;
        }
        replay.offer(winX, xo, winY, yo);
        if (fleetPaced) {
            if (fleetWindowsLeft == 0) return; // between rounds: collect, do not train
            if (--fleetWindowsLeft == 0) fleetWindowsDone.complete(null);
        }
        if (++newSinceStep < dc.stepEvery || replay.size() < batch) return;
        newSinceStep = 0;
        replayStep();
    }

    /** One step on a mini-batch from the replay buffer, then the periodic evaluation and log line. */
    float replayStep() throws IOException {
        replay.sample(batchX, batchY, batch);
        float loss = trainer.step(batchX, 0, batchY, 0, batch);
        boolean counted = !trainer.lastStepRolledBack() && Float.isFinite(loss);
        if (counted) {
            lossSum += loss;
            lossSteps++;
            fleetLossSum += loss;
            fleetSteps++;
            fleetLrSum += trainer.lastLearningRate();
            if (fleetCorrection != null) trainer.addToTrainable(fleetCorrection, -trainer.lastLearningRate());
        }
        long steps = trainer.steps();
        metrics.steps = steps;
        metrics.loss = loss;
        metrics.lr = trainer.lastLearningRate();
        metrics.gradNorm = trainer.lastGradNorm();
        metrics.rollbacks = trainer.guard() == null ? 0 : trainer.guard().rollbacks();
        metrics.replayRows = replay.size();
        metrics.updateRatio = trainer.health().medianUpdateRatio();
        metrics.deadFraction = trainer.health().deadFraction();
        metrics.saturatedFraction = trainer.health().saturatedFraction();
        if (history != null) {
            if (!trainer.lastStepRolledBack()) history.loss.add(steps, loss);
            history.gradNorm.add(steps, trainer.lastGradNorm());
        }
        if (steps % dc.evalEvery == 0) evaluate();
        if (steps % dc.logEvery == 0) logLine();
        if (afterStep != null) afterStep.accept(steps);
        return loss;
    }

    ReplayBuffer replay() {
        return replay;
    }

    int batch() {
        return batch;
    }

    long windows() {
        return windows;
    }

    /** What fleet members must share: the checkpoint fingerprint without the precision (weights travel as fp32). */
    String fleetFingerprint() {
        return fleetFingerprint;
    }

    /** The held-out slice as a dataset (a copy: the fleet asks rarely). */
    org.edgetrain.train.Dataset holdout() {
        int rows = (int) Math.min(holdCount, dc.holdoutRows);
        java.util.List<String> in = new java.util.ArrayList<>(), out = new java.util.ArrayList<>();
        for (int i = 0; i < inWidth; i++) in.add("x" + i);
        for (int i = 0; i < targetWidth; i++) out.add("y" + i);
        float[] x = new float[rows * inWidth], y = new float[rows * targetWidth];
        for (int r = 0; r < rows; r++) {
            holdX.get(r, x, r * inWidth);
            holdY.get(r, y, r * targetWidth);
        }
        return new org.edgetrain.train.Dataset("held-out slice", in, out, x, y, rows);
    }

    private void output(float score) throws IOException {
        lastScore = score;
        scored++;
        scoreSum += score;
        boolean anomaly = false;
        if (Float.isFinite(score)) {
            if (scoreN >= 200) {
                double std = Math.sqrt(scoreM2 / scoreN);
                anomaly = score > scoreMean + dc.anomalySigma * std;
            }
            if (!anomaly) { // anomalies would drag the threshold up
                scoreN++;
                double d = score - scoreMean;
                scoreMean += d / scoreN;
                scoreM2 += d * (score - scoreMean);
            }
        }
        if (anomaly) anomalies++;
        double threshold = scoreN >= 200 ? scoreMean + dc.anomalySigma * Math.sqrt(scoreM2 / scoreN) : Double.NaN;
        metrics.windows = windows;
        metrics.score = score;
        metrics.threshold = threshold;
        if (anomaly) metrics.anomalies++; // one writer: the training thread
        if (history != null) {
            history.score.add(windows, score);
            history.threshold.add(windows, threshold);
        }
        switch (dc.output) {
            case LOG, MQTT -> { // one line per episode (a spike spans several overlapping windows), when it ends
                if (anomaly) {
                    if (episodeWindows++ == 0) {
                        episodeStart = windows;
                        if (mqtt != null) mqtt.episodeStarted();
                    }
                    episodeMax = Math.max(episodeMax, score);
                } else if (episodeWindows > 0) {
                    if (history != null) history.episode(episodeStart, windows - 1, episodeMax);
                    double episodeThreshold = scoreMean + dc.anomalySigma * Math.sqrt(scoreM2 / scoreN);
                    Log.info("anomaly windows={}-{} max_score={} threshold={}", episodeStart, windows - 1, fmt(episodeMax),
                            fmt(episodeThreshold));
                    if (mqtt != null) mqtt.episodeEnded(episodeStart, windows - 1, episodeMax, episodeThreshold, trainer.steps());
                    episodeWindows = 0;
                    episodeMax = 0;
                }
                if (mqtt != null) mqtt.score(windows, trainer.steps(), score, anomaly);
            }
            case STDOUT -> out.printf(Locale.ROOT, "window=%d step=%d score=%s anomaly=%s%n", windows, trainer.steps(), fmt(score), anomaly);
            case CSV -> csv.write(windows + "," + trainer.steps() + "," + fmt(score) + "," + (anomaly ? 1 : 0) + "\n");
            case OFF -> { }
        }
    }

    private void evaluate() {
        int rows = (int) Math.min(holdCount, dc.holdoutRows);
        if (rows == 0) return;
        double sum = 0;
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            for (int r = 0; r < n; r++) { // the batch buffers are free between steps
                holdX.get(from + r, batchX, r * inWidth);
                holdY.get(from + r, batchY, r * targetWidth);
            }
            sum += (double) trainer.score(batchX, 0, batchY, 0, n) * n;
        }
        valLoss = sum / rows;
        metrics.valLoss = valLoss;
        if (history != null) history.valLoss.add(trainer.steps(), valLoss);
    }

    private void logLine() throws IOException {
        long now = System.nanoTime();
        long steps = trainer.steps();
        double seconds = (now - lastLogNanos) / 1e9;
        double sps = seconds > 0 ? (steps - lastLogSteps) * batch / seconds : Double.NaN;
        Runtime rt = Runtime.getRuntime();
        SourceStats st = pipeline.stats();
        double loss = lossSteps == 0 ? Double.NaN : lossSum / lossSteps;
        var h = trainer.health();
        metrics.samplesPerSecond = sps;
        long heap = rt.totalMemory() - rt.freeMemory();
        ProcessMemory mem = ProcessMemory.read();
        Log.info("step={} loss={} val_loss={} lr={} grad_norm={} samples_per_s={} windows={} score_mean={} anomalies={} "
                        + "heap_bytes={} rss_bytes={} rss_anon_bytes={} pss_bytes={} arena_bytes={} replay_rows={} dropped={} overruns={} "
                        + "read_errors={} rollbacks={}{}",
                steps, fmt(loss), fmt(valLoss), fmt(trainer.lastLearningRate()), fmt(trainer.lastGradNorm()),
                org.edgetrain.util.Decimal.fixed(sps, 0), windows, fmt(scored == 0 ? Double.NaN : scoreSum / scored), anomalies,
                heap, mem.rss(), mem.rssAnon(), mem.pss(), metrics.arenaBytes, replay.size(), st.get(SourceStats.Counter.DROPPED_SAMPLES),
                st.get(SourceStats.Counter.OVERRUNS), st.get(SourceStats.Counter.READ_ERRORS), metrics.rollbacks, healthFields(h));
        if (csv != null) csv.flush();
        if (mqtt != null) mqtt.status(statusJson(st, loss));
        lossSum = 0;
        lossSteps = 0;
        scoreSum = 0;
        scored = 0;
        anomalies = 0;
        lastLogNanos = now;
        lastLogSteps = steps;
    }

    /** The retained MQTT status: where training stands and what the source went through. */
    private String statusJson(SourceStats st, double loss) {
        return String.format(Locale.ROOT, "{\"state\":\"training\",\"step\":%d,\"loss\":%s,\"val_loss\":%s,\"windows\":%d,\"anomalies\":%d,"
                + "\"samples\":%d,\"malformed\":%d,\"overruns\":%d,\"disconnects\":%d,\"gap_ms\":%d,\"rollbacks\":%d,\"health\":\"%s\","
                + "\"last_problem\":\"%s\",\"time\":\"%s\"}", trainer.steps(), jsonNum(loss), jsonNum(valLoss), windows, anomalies,
                st.get(SourceStats.Counter.SAMPLES), st.get(SourceStats.Counter.MALFORMED_LINES), st.get(SourceStats.Counter.OVERRUNS),
                st.get(SourceStats.Counter.DISCONNECTS), st.get(SourceStats.Counter.GAP_MILLIS), metrics.rollbacks,
                metrics.sourceHealthy() && metrics.lastProblem.isEmpty() ? "ok" : "degraded", metrics.lastProblem.replace("\\", "/").replace("\"", "'"),
                java.time.Instant.now());
    }

    private static String jsonNum(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    private static String healthFields(org.edgetrain.monitor.HealthMonitor h) {
        StringBuilder sb = new StringBuilder();
        if (!Double.isNaN(h.medianUpdateRatio())) sb.append(" upd=").append(fmt(h.medianUpdateRatio()));
        if (!Double.isNaN(h.deadFraction())) sb.append(" dead=").append(fmt(h.deadFraction()));
        if (!Double.isNaN(h.saturatedFraction())) sb.append(" sat=").append(fmt(h.saturatedFraction()));
        return sb.toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "nan" : org.edgetrain.util.Decimal.sig(v, 5); // %.5g without Formatter
    }

    /*
     * The callbacks on the path `edgetrain run` takes are classes, not lambdas or method references: the first lambda
     * bootstraps java.lang.invoke's LambdaMetafactory, ~150 classes the board keeps resident (DaemonClassLoadTest).
     */

    /** The step of the config's precision, made by {@link Engine} once the pipeline has fixed the widths. */
    private static final class EngineStep implements StepMaker {
        private final RunConfig cfg;
        private final String kernels;
        private final int threads;
        private final String threadsFlag;

        EngineStep(RunConfig cfg, String kernels, int threads, String threadsFlag) {
            this.cfg = cfg;
            this.kernels = kernels;
            this.threads = threads;
            this.threadsFlag = threadsFlag;
        }

        @Override
        public Step make(NetworkSpec net, TrainingSpec spec, HealthSpec health) {
            return Engine.step(cfg, net, spec, kernels, threads, threadsFlag, health);
        }
    }

    /** A health finding: a warning line, and the status page's last problem. */
    private final class HealthProblem implements java.util.function.Consumer<org.edgetrain.monitor.Finding> {
        @Override
        public void accept(org.edgetrain.monitor.Finding f) {
            Log.warn("health: {}", f.line());
            metrics.lastProblem = f.line();
        }
    }

    /** Whether a checkpoint that read back intact is this config's and applies; if applying fails, the fresh state returns. */
    private final class Resumable implements java.util.function.Predicate<Checkpoint> {
        private final Checkpoint fresh;

        Resumable(Checkpoint fresh) {
            this.fresh = fresh;
        }

        @Override
        public boolean test(Checkpoint c) {
            if (!fingerprint.equals(c.meta("fingerprint"))) {
                Log.warn("ignoring checkpoint written for another model or optimizer (fingerprint {} , this config {})",
                        org.edgetrain.util.Untrusted.quote(String.valueOf(c.meta("fingerprint"))), fingerprint);
                return false;
            }
            CheckpointFit.requireLayout(fresh, c);
            try {
                apply(c);
                return true;
            } catch (RuntimeException e) {
                apply(fresh);
                throw e;
            }
        }
    }

    private final class WriteCheckpoint implements CheckpointRetry.Write {
        @Override
        public Path run() throws IOException {
            return checkpoint();
        }
    }
}
