package org.edgetrain.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.edgetrain.config.RunConfig;
import org.edgetrain.diagnose.Doctor;
import org.edgetrain.diagnose.LrRangeTest;
import org.edgetrain.monitor.Finding;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.util.SvgChart;

/** {@code edgetrain doctor}: the troubleshooting checklist on a config and a CSV file; exit 0 healthy, 1 problems, 2 bad input. */
final class DoctorCommand implements Command {
    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String summary() {
        return "why won't my network train: check a config and its data";
    }

    @Override
    public String usage() {
        return """
                edgetrain doctor --config FILE --data FILE [--kernels auto|native|java] [--verbose] [--plot FILE.svg]
                  --config   the config file to check
                  --data     a CSV file with the columns the config names (the training data)
                  --plot     write the learning-rate range test's curve (smoothed loss against the rate) as an SVG file
                  --verbose  also print each check's supporting lines (per-tensor gradient errors, weight scales, statistics)
                Checks the data (missing values, constant columns, scales, labels, imbalance), the loss against the task and
                the output layer, backprop against finite differences per layer, the initial weight scale, a short
                training probe with the health statistics, and a learning-rate range test.
                Exit code 0: healthy; 1: found a problem; 2: bad input.
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("config", "data", "kernels", "plot"), Set.of("verbose"));
        RunConfig cfg = RunConfig.load(args.requirePath("config", "examples/digits.conf"));
        Doctor.Report report = Doctor.run(cfg, args.requirePath("data", "data/digits-train.csv"),
                KernelLoader.load(args.has("kernels") ? args.get("kernels") : cfg.kernels(), 1));
        boolean verbose = args.flag("verbose");
        out.println(report.header());
        int i = 1;
        for (Doctor.Section s : report.sections()) {
            boolean problem = s.findings().stream().anyMatch(f -> f.severity() == Finding.Severity.PROBLEM);
            out.printf("%d. %s: %s%n", i++, s.title(), problem ? "PROBLEM" : s.summary());
            for (Finding f : s.findings()) out.println("   " + f.line());
            if (verbose || problem) for (String d : s.details()) out.println("     " + d);
        }
        long problems = report.problems();
        out.println(problems == 0 ? "verdict: healthy (" + report.notes() + " notes)"
                : "verdict: " + problems + " problem" + (problems == 1 ? "" : "s") + " (" + report.notes() + " notes)");
        if (args.has("plot")) {
            Path plot = args.path("plot");
            if (report.rangeTest() == null) {
                out.println("no plot: the doctor stopped before the range test");
            } else {
                LrRangeTest.Result r = report.rangeTest();
                PlotFile.write(plot, new SvgChart("Learning-rate range test (smoothed loss)", "learning rate (log scale)").logX()
                        .line("smoothed loss", r.curveLr(), r.curveLoss(), r.curveLr().length).render());
                out.println("wrote " + plot);
            }
        }
        return problems == 0 ? 0 : 1;
    }
}
