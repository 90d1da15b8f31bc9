package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.edgetrain.ingest.preprocess.RunningStandardizer;

/**
 * {@code edgetrain ingest}: runs a config's source and preprocessing and prints the first rows and the statistics,
 * to check wiring and settings before training on them. With {@code source.rate_hz = 0} the source runs on this thread
 * as fast as it gives samples (deterministic for the simulated sensor); otherwise on its own thread at its rate.
 */
final class IngestCommand implements Command {
    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String summary() {
        return "read a source through the preprocessing and print rows and statistics";
    }

    @Override
    public String usage() {
        return """
                edgetrain ingest [--config FILE] [--samples N] [--rows N]
                  --config   the [source], [preprocess] and [label] sections (default: the simulated sensor of
                             examples/sensor-sim.conf, packaged in the jar)
                  --samples  samples to read from the source (default 1000); a file also stops at its end
                  --rows     rows to print (default 3), the first 8 values of each
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) {
        Args args = new Args(name(), argv, 0, Set.of("config", "samples", "rows"), Set.of());
        ConfigFile file = args.has("config") ? ConfigFile.read(args.path("config")) : RunCommand.embedded("/demo/sensor-sim.conf");
        file.checkKnownKeys(RunConfig.KEYS); // a daemon config also has [model], [optimizer], ...
        SourceConfig cfg = SourceConfig.of(file, false);
        long samples = args.intValue("samples", 1000, 1);
        int show = args.intValue("rows", 3, 0);
        try (IngestPipeline p = org.edgetrain.connect.Connect.pipeline(cfg, file)) {
            IngestPipeline.Settings s = p.settings();
            out.printf(Locale.ROOT, "source %s: %d channels (%s), %s; rows of %d inputs and %d targets (%s)%n", p.source().name(),
                    p.source().channels(), String.join(", ", p.source().channelNames()),
                    s.rateHz() > 0 ? fmt(s.rateHz()) + " Hz" : "as fast as it gives samples", p.inputWidth(), p.targetWidth(),
                    s.labeling().mode().name().toLowerCase(Locale.ROOT));
            int batch = 16;
            float[] x = new float[batch * p.inputWidth()];
            float[] y = new float[batch * p.targetWidth()];
            boolean threaded = s.rateHz() > 0 || p.source().live();
            if (threaded) p.start();
            SourceStats stats = p.stats();
            int printed = 0;
            while (stats.get(Counter.SAMPLES) < samples && !p.finished()) {
                if (!threaded && p.pump(1) == 0 && p.finished()) break;
                int rows = threaded ? p.nextBatch(x, y, batch, 100_000_000L) : p.nextBatch(x, y, batch);
                for (int r = 0; r < rows && printed < show; r++, printed++) {
                    out.println("row " + (printed + 1) + ": x " + head(x, r * p.inputWidth(), p.inputWidth()) + "  y "
                            + head(y, r * p.targetWidth(), p.targetWidth()));
                }
            }
            p.nextBatch(x, y, batch); // count what is left in the ring
            out.println(stats.line());
            RunningStandardizer st = p.standardizer();
            if (st != null) {
                for (int c = 0; c < p.features(); c++) {
                    out.printf(Locale.ROOT, "feature %d: mean %.4f  std %.4f%n", c, st.mean(c), st.std(c));
                }
            }
        }
        return 0;
    }

    private static String head(float[] a, int from, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, 8); i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", a[from + i]));
        return sb.append(n > 8 ? ", ...]" : "]").toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
