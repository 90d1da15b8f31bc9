package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.edgetrain.connect.Connect;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.daemon.Daemon;
import org.edgetrain.daemon.DaemonConfig;
import org.edgetrain.daemon.DaemonLogging;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.log.Log;

/** {@code edgetrain run}: the headless daemon (see {@link Daemon}). */
final class RunCommand implements Command {
    /** Seconds a stop may take before the process gives up waiting (a sensor read stuck in the kernel). */
    static final int STOP_TIMEOUT_SECONDS = 20;

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "the daemon: train incrementally from a source, checkpoint, log (default: simulated sensor)";
    }

    @Override
    public String usage() {
        return """
                edgetrain run [--config FILE] [--steps N] [--state-dir DIR] [--init-from FILE] [--fresh]
                              [--kernels auto|native|java] [--threads N]
                  --config     sources, preprocessing, model and [daemon] settings (default: examples/daemon-sim.conf,
                               packaged in the jar: the simulated sensor feeding an anomaly-detecting autoencoder)
                  --steps      stop after N optimizer steps (default: daemon.max_steps, 0 = until SIGTERM/SIGINT)
                  --state-dir  override daemon.state_dir (checkpoints/ and logs/)
                  --init-from  start from these weights when there is no checkpoint to resume: a model file or
                               safetensors (offline fine-tuning; combine with model.freeze)
                  --fresh      ignore existing checkpoints (they are kept)
                Stops cleanly on SIGTERM or SIGINT: finishes the step, writes a checkpoint, closes the source, flushes the
                log, exits 0. The log goes to <state-dir>/logs/edgetrain.log; warnings also to stderr.
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("config", "steps", "state-dir", "init-from", "kernels", "threads"), Set.of("fresh"));
        ConfigFile file = args.has("config") ? ConfigFile.read(args.path("config")) : embedded("/demo/daemon-sim.conf");
        if (args.has("state-dir")) file = file.with("daemon.state_dir", args.get("state-dir"));
        if (args.has("steps")) file = file.with("daemon.max_steps", Long.toString(args.longValue("steps", 0, 0)));
        RunConfig cfg = RunConfig.of(file);
        DaemonConfig dc = new DaemonConfig(file, cfg.boardProfile());
        // checked at start: on a state directory it cannot write, the daemon would train for ever without a checkpoint
        org.edgetrain.daemon.Dirs.create(dc.stateDir().resolve("checkpoints"), org.edgetrain.daemon.Dirs.stateKey(dc), "checkpoint directory");
        Path log = DaemonLogging.configure(dc);
        try {
            return runDaemon(args, cfg, dc, file, log, out);
        } finally {
            DaemonLogging.shutdown();
        }
    }

    private int runDaemon(Args args, RunConfig cfg, DaemonConfig dc, ConfigFile file, Path log, PrintStream out) throws Exception {
        out.println("edgetrain run: " + file.source() + "; state in " + dc.stateDir().toAbsolutePath()
                + "; log in " + log.toAbsolutePath());
        SourceConfig scfg = SourceConfig.of(file, false);
        if (scfg.type() == SourceConfig.Type.SERIAL) Signals.ignoreHangup();
        IngestPipeline pipeline = Connect.pipeline(scfg, file);
        Daemon d;
        try {
            d = new Daemon(cfg, dc, pipeline, args.has("kernels") ? args.get("kernels") : cfg.kernels(), args.intValue("threads", cfg.threads(), 1),
                    args.has("threads") ? "--threads" : "engine.threads", out);
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        Log.info("plan: {} bytes (arena {}); model {}: {}; precision {}; kernels {}", MemoryPlan.group(d.plannedBytes()),
                MemoryPlan.group(d.trainer().memoryPlan().totalBytes()), d.trainer().networkSpec().shortName(),
                d.trainer().networkSpec().layersText(), d.trainer().precision(), d.trainer().kernelDescription());
        long resumed = args.flag("fresh") ? -1 : d.resume();
        if (resumed < 0 && args.has("init-from")) d.initFrom(args.path("init-from"));
        if (resumed < 0) Log.info("starting fresh (no checkpoint in {})", d.store().directory());
        Signals.onStop(new StopRequest(d));
        int rc = d.run();
        out.println("edgetrain run: stopped at step " + d.trainer().steps()); // not printf: Formatter loads DecimalFormatSymbols and CLDR
        return rc;
    }

    /*
     * The stop request and its watchdog are classes, not lambdas: the daemon's path bootstraps no lambda, which would
     * load java.lang.invoke's LambdaMetafactory and ~150 classes with it (DaemonClassLoadTest).
     */

    /** SIGTERM or SIGINT: the daemon finishes its step and writes a checkpoint; the watchdog halts it if that hangs. */
    private static final class StopRequest implements Runnable {
        private final Daemon d;

        StopRequest(Daemon d) {
            this.d = d;
        }

        @Override
        public void run() {
            Log.info("stop requested: finishing the step and writing a checkpoint");
            d.requestStop();
            Thread watchdog = new Thread(new Watchdog(), "edgetrain-stop-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }

    private static final class Watchdog implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(STOP_TIMEOUT_SECONDS * 1000L);
                Log.error("did not stop within {} s; exiting without a final checkpoint (the last one stands)", STOP_TIMEOUT_SECONDS);
                DaemonLogging.shutdown();
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException ignored) {
                // stopped in time
            }
        }
    }

    /** A config packaged in the jar. */
    static ConfigFile embedded(String resource) {
        ConfigFile f = ConfigFile.resource(resource);
        if (f == null) throw new IllegalStateException(resource + " is missing from the jar");
        return f;
    }
}
