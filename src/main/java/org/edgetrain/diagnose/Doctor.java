package org.edgetrain.diagnose;

import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.monitor.Finding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.BadInputException;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.CsvTable;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Dataset;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/**
 * The "why won't my network train" checklist, run on a user's own config and data: the data, the loss against the
 * task, backprop against finite differences, the initial weight scale, a short training probe watched by the
 * {@link org.edgetrain.monitor.HealthMonitor}, and a learning-rate range test. Each finding carries its evidence and a fix.
 */
public final class Doctor {
    /** Steps of the training probe. */
    public static final int PROBE_STEPS = 300;
    /** Rows of the gradient check's mini-batch. */
    public static final int CHECK_ROWS = 8;

    /** One checklist item: its findings, supporting lines, and a one-word verdict when it found nothing. */
    public record Section(String title, List<Finding> findings, List<String> details, String summary) { }

    /** All sections; healthy when no finding is a problem. */
    /** The sections and the range test's result (null when the doctor stopped before it). */
    public record Report(String header, List<Section> sections, LrRangeTest.Result rangeTest) {
        public long problems() {
            return sections.stream().flatMap(s -> s.findings().stream()).filter(f -> f.severity() == Finding.Severity.PROBLEM).count();
        }

        public long notes() {
            return sections.stream().flatMap(s -> s.findings().stream()).filter(f -> f.severity() == Finding.Severity.NOTE).count();
        }

        public boolean hasFinding(Finding.Kind kind) {
            return sections.stream().flatMap(s -> s.findings().stream()).anyMatch(f -> f.kind() == kind);
        }
    }

    private Doctor() {
    }

    public static Report run(RunConfig cfg, Path dataFile, Kernels kernels) {
        CsvTable t = CsvTable.read(dataFile);
        List<String> labels = cfg.labels();
        List<String> features = cfg.features();
        if (features == null) {
            features = new ArrayList<>();
            for (String h : t.header()) if (!labels.contains(h)) features.add(h);
        }
        for (String c : concat(features, labels)) {
            if (t.column(c) < 0) {
                throw new BadInputException(dataFile + ": no column '" + c + "' (named by " + cfg.source() + "); "
                        + org.edgetrain.data.DataLoader.headerHint(t.header(), c));
            }
        }
        NetworkSpec net = cfg.network(features.size());
        TrainingSpec spec = cfg.training();
        LossKind loss = spec.loss();
        List<Section> sections = new ArrayList<>();
        String header = String.format(Locale.ROOT, "edgetrain doctor: %s on %s (%,d rows, %d features); model %s, loss %s, %s",
                cfg.source(), dataFile, t.rows(), features.size(), net.shortName(), loss.configName(), spec.optimizer());

        sections.add(new Section("data", DataCheck.run(t, features, labels, loss, cfg.standardize(), net.outputs(),
                cfg.standardizeTargets()), List.of(), "ok"));
        sections.add(new Section("loss and outputs", new ArrayList<>(LossCheck.run(t, labels, loss, net)), List.of(), "ok"));

        String width = targetWidthProblem(loss, labels, net.outputs());
        if (width != null) {
            sections.get(1).findings().add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "loss " + loss.configName(),
                    width, loss == LossKind.CROSS_ENTROPY ? "end the model with dense(classes), classes >= 2, or use loss.type = bce"
                    : "make data.label list one column per output, or change the last layer's width"));
            sections.add(new Section("gradient check, initialization, training probe, learning rate", List.of(), List.of(),
                    "skipped: the loss cannot compare the model's outputs with the labels"));
            return new Report(header, sections, null);
        }
        Dataset data = usableRows(t, features, labels, loss, net.outputs());
        if (data.rows() < 2) {
            sections.add(new Section("gradient check, initialization, training probe, learning rate", List.of(),
                    List.of(), "skipped: fewer than 2 rows with finite features and valid labels"));
            return new Report(header, sections, null);
        }
        Standardizer std = cfg.standardize() ? Standardizer.fit(data.x(), data.rows(), data.features()) : Standardizer.identity(data.features());
        std.apply(data.x(), data.rows());
        if (cfg.standardizeTargets()) Standardizer.fit(data.y(), data.rows(), labels.size()).apply(data.y(), data.rows()); // as training does
        String dropped = data.rows() < t.rows() ? String.format(Locale.ROOT, " (on the %,d usable rows of %,d)", data.rows(), t.rows()) : "";

        sections.add(gradientCheck(net, spec, data));
        if (cfg.fixedPoint()) sections.add(fixedGradientCheck(net, spec, cfg.rounding(), data));
        List<String> initLines = new ArrayList<>();
        Trainer fresh = new Trainer(net, spec, kernels);
        sections.add(new Section("initialization", InitCheck.run(fresh.network(), initLines), initLines, "ok"));
        sections.add(probe(net, spec, data, kernels, dropped));
        LrRangeTest.Result range = LrRangeTest.run(net, spec, data, kernels);
        sections.add(rangeTest(spec, range));
        return new Report(header, sections, range);
    }

    private static Section gradientCheck(NetworkSpec net, TrainingSpec spec, Dataset data) {
        List<Finding> findings = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        double worst = 0;
        int checked = 0, skipped = 0;
        for (GradientCheck.Result r : GradientCheck.run(net, spec, data, CHECK_ROWS)) {
            lines.add(r.line());
            if (r.skipped()) {
                skipped++;
                continue;
            }
            checked++;
            worst = Math.max(worst, r.error());
            if (!r.passed()) {
                findings.add(new Finding(Finding.Kind.GRADIENT_CHECK, Finding.Severity.PROBLEM, "layer " + r.layer(),
                        String.format(Locale.ROOT, "backprop's gradient of %s differs from finite differences by %.2g (relative; "
                                + "healthy layers stay below %.2g)", r.tensor(), r.error(), GradientCheck.TOLERANCE),
                        "this layer's backward is wrong: a bug in the layer, not in the config"));
            }
        }
        String summary = String.format(Locale.ROOT, "ok: %d tensors, largest relative error %.1e%s", checked, worst,
                skipped > 0 ? ", " + skipped + " with gradients too small to check in fp32" : "");
        return new Section("gradient check", findings, lines, summary);
    }

    /** With {@code engine.precision = fixed}: the int16 gradients against fp32 ones on the same weights. */
    private static Section fixedGradientCheck(NetworkSpec net, TrainingSpec spec, org.edgetrain.fixed.Rounding rounding, Dataset data) {
        List<Finding> findings = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        double worst = 0;
        int checked = 0;
        for (GradientCheck.Result r : FixedGradientCheck.run(net, spec, rounding, data, CHECK_ROWS)) {
            lines.add(FixedGradientCheck.line(r));
            if (r.skipped()) continue;
            checked++;
            worst = Math.max(worst, r.error());
            if (!r.passed()) {
                findings.add(new Finding(Finding.Kind.GRADIENT_CHECK, Finding.Severity.PROBLEM, "layer " + r.layer(),
                        String.format(Locale.ROOT, "the int16 gradient of %s differs from fp32's on the same weights by %.2g (relative; "
                                + "healthy layers stay below %.2g)", r.tensor(), r.error(), FixedGradientCheck.TOLERANCE),
                        "the fixed-point layer's backward or its scales are wrong: a bug in the int16 kernels, not in the config"));
            }
        }
        return new Section("int16 gradient check", findings, lines,
                String.format(Locale.ROOT, "ok: %d tensors, largest relative error %.1e against fp32", checked, worst));
    }

    private static Section probe(NetworkSpec net, TrainingSpec spec, Dataset data, Kernels kernels, String dropped) {
        List<Finding> findings = new ArrayList<>();
        Trainer t = new Trainer(net, spec, kernels, HealthSpec.defaults().withEvery(2));
        t.health().setListener(findings::add);
        int batch = Math.min(spec.batch(), data.rows());
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int from = data.rows();
        int window = 20;
        double first = 0, last = 0;
        int firstN = 0, lastN = 0;
        for (int s = 0; s < PROBE_STEPS; s++) {
            if (from + batch > data.rows()) {
                t.shuffleRng().shuffle(order, order.length);
                from = 0;
            }
            float l = t.step(data.x(), data.y(), order, from, batch);
            from += batch;
            if (!Float.isFinite(l)) continue;
            if (s < window) {
                first += l;
                firstN++;
            } else if (s >= PROBE_STEPS - window) {
                last += l;
                lastN++;
            }
        }
        double l0 = firstN == 0 ? Double.NaN : first / firstN, l1 = lastN == 0 ? Double.NaN : last / lastN;
        List<String> lines = new ArrayList<>(t.health().layerLines());
        String trend = String.format(Locale.ROOT, "%d steps%s: mean loss %.4g over the first %d steps, %.4g over the last %d", PROBE_STEPS,
                dropped, l0, window, l1, window);
        lines.add(0, trend);
        if (findings.isEmpty() && !(l1 < 0.99 * l0)) {
            findings.add(new Finding(Finding.Kind.LR_TOO_LOW, Finding.Severity.PROBLEM, "",
                    "the loss did not fall: " + trend,
                    "raise optimizer.lr (see the range test below) and check that the labels belong to the features"));
        }
        return new Section("training probe", findings, lines, "ok: " + trend + (t.health().summary().isEmpty() ? "" : "; " + t.health().summary()));
    }

    private static Section rangeTest(TrainingSpec spec, LrRangeTest.Result r) {
        List<Finding> findings = new ArrayList<>();
        float lr = spec.optimizer().lr();
        if (!Double.isNaN(r.lrDiverges()) && lr >= r.lrDiverges()) {
            findings.add(new Finding(Finding.Kind.LR_TOO_HIGH, Finding.Severity.PROBLEM, "optimizer.lr",
                    String.format(Locale.ROOT, "the configured rate %.3g is past where the loss diverges (%.3g)", lr, r.lrDiverges()),
                    String.format(Locale.ROOT, "optimizer.lr = %.2g", r.suggested())));
        } else if (lr > r.lrAtMinimum()) {
            findings.add(new Finding(Finding.Kind.LR_TOO_HIGH, Finding.Severity.NOTE, "optimizer.lr",
                    String.format(Locale.ROOT, "the configured rate %.3g is above the rate of the lowest loss (%.3g): training may oscillate",
                            lr, r.lrAtMinimum()),
                    String.format(Locale.ROOT, "optimizer.lr = %.2g", r.suggested())));
        } else if (lr < r.suggested() / 100) {
            findings.add(new Finding(Finding.Kind.LR_TOO_LOW, Finding.Severity.NOTE, "optimizer.lr",
                    String.format(Locale.ROOT, "the configured rate %.3g is 100× below the suggested %.3g: training will be slow", lr,
                            r.suggested()),
                    String.format(Locale.ROOT, "optimizer.lr = %.2g", r.suggested())));
        }
        String summary = String.format(Locale.ROOT, "ok: configured lr %.3g; %s", lr, r.line());
        return new Section("learning rate (range test, " + LrRangeTest.STEPS + " steps)", findings, List.of(r.line()), summary);
    }

    private static String targetWidthProblem(LossKind loss, List<String> labels, int outputs) {
        if (loss == LossKind.CROSS_ENTROPY) {
            if (outputs < 2) return "cross_entropy needs one output per class (>= 2), the model ends with " + outputs;
            if (labels.size() != 1) return "cross_entropy reads one label column of class indices, data.label names " + labels.size();
            return null;
        }
        if (labels.size() != outputs) {
            return loss.configName() + " compares the model's " + outputs + " outputs with " + labels.size() + " label column(s) " + labels;
        }
        return null;
    }

    /** Rows whose features are finite and whose labels the loss accepts: what the probes can train on. */
    static Dataset usableRows(CsvTable t, List<String> features, List<String> labels, LossKind loss, int outputs) {
        int[] fc = new int[features.size()], lc = new int[labels.size()];
        for (int j = 0; j < fc.length; j++) fc[j] = t.column(features.get(j));
        for (int j = 0; j < lc.length; j++) lc[j] = t.column(labels.get(j));
        float[] x = new float[t.rows() * fc.length], y = new float[t.rows() * lc.length];
        int n = 0;
        rows:
        for (int r = 0; r < t.rows(); r++) {
            for (int c : fc) if (!Float.isFinite(t.value(r, c))) continue rows;
            for (int c : lc) {
                float v = t.value(r, c);
                if (!Float.isFinite(v)) continue rows;
                if (loss == LossKind.CROSS_ENTROPY && (v != Math.rint(v) || v < 0 || v >= outputs)) continue rows;
                if (loss == LossKind.BCE && v != 0f && v != 1f) continue rows;
            }
            for (int j = 0; j < fc.length; j++) x[n * fc.length + j] = t.value(r, fc[j]);
            for (int j = 0; j < lc.length; j++) y[n * lc.length + j] = t.value(r, lc[j]);
            n++;
        }
        return new Dataset(t.file().toString(), features, labels, java.util.Arrays.copyOf(x, n * fc.length),
                java.util.Arrays.copyOf(y, n * lc.length), n);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
