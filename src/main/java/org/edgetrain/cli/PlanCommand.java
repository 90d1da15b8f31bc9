package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.CsvTable;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/** {@code edgetrain plan}: the exact arena a config would allocate, region by region, before allocating anything. */
final class PlanCommand implements Command {
    @Override
    public String name() {
        return "plan";
    }

    @Override
    public String summary() {
        return "print the memory plan of a config without allocating it";
    }

    @Override
    public String usage() {
        return """
                edgetrain plan --config FILE [--inputs N | --data FILE] [--batch N]
                  --inputs  input width (else model.inputs, else the feature columns of --data)
                  --batch   override train.batch
                """;
    }

    /** {window, channels} of a daemon config's simulated sensor (a hardware source needs --inputs). */
    private static int[] simulatedWindow(RunConfig cfg, PrintStream out) {
        org.edgetrain.config.SourceConfig sc = org.edgetrain.config.SourceConfig.of(cfg.file(), false);
        if (sc.type() != org.edgetrain.config.SourceConfig.Type.SIM) {
            throw new BadInputException(cfg.source() + ": the input width of a " + sc.type().word() + " source is known only on the board;"
                    + " pass --inputs N (window × channels) or set model.inputs");
        }
        String[] names = new String[sc.simChannels()];
        java.util.Arrays.fill(names, "");
        int window = sc.settings(names).window();
        out.printf(java.util.Locale.ROOT, "input: a window of %d steps × %d channels from the simulated sensor%n", window, sc.simChannels());
        return new int[] {window, sc.simChannels()};
    }

    @Override
    public int run(String[] argv, PrintStream out) {
        Args args = new Args(name(), argv, 0, Set.of("config", "inputs", "data", "batch"), Set.of());
        RunConfig cfg = RunConfig.load(args.requirePath("config", "examples/digits.conf"));
        int inputs;
        int[] channels = null;
        if (args.has("inputs")) {
            inputs = args.intValue("inputs", 1, 1);
        } else if (cfg.inputs() != null) {
            inputs = cfg.inputs();
        } else if (args.has("data")) {
            CsvTable t = CsvTable.read(args.path("data"));
            List<String> f = cfg.features();
            inputs = f != null ? f.size() : (int) t.header().stream().filter(h -> !cfg.labels().contains(h)).count();
        } else if (cfg.file().sections().contains("source")) {
            channels = simulatedWindow(cfg, out);
            inputs = channels[0] * channels[1];
        } else {
            throw new BadInputException(cfg.source() + ": the input width is unknown; set model.inputs, or pass --inputs N or --data FILE");
        }
        NetworkSpec net = cfg.network(inputs, channels == null ? 1 : channels[1]);
        TrainingSpec spec = cfg.training();
        if (args.has("batch")) spec = spec.withBatch(args.intValue("batch", spec.batch(), 1));
        MemoryPlan plan = Trainer.plan(net, spec, cfg.health());
        if (cfg.fixedPoint()) {
            MemoryPlan fixed = org.edgetrain.train.FixedTrainer.plan(net, spec);
            out.print(fixed.format());
            out.printf(java.util.Locale.ROOT, "fixed point: %s bytes = %.1f %% of the fp32 arena (%s bytes) for the same model%n",
                    MemoryPlan.group(fixed.totalBytes()), 100.0 * fixed.totalBytes() / plan.totalBytes(), MemoryPlan.group(plan.totalBytes()));
            return 0;
        }
        out.print(plan.format());
        return 0;
    }
}
