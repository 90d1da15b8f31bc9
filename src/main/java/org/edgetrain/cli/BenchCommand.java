package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.AllocationCounter;
import org.edgetrain.util.Rng;

/**
 * {@code edgetrain bench}: training samples/s of the reference MLPs on this machine, one thread, SGD with momentum and
 * cross-entropy (no clipping, as the compared frameworks run it), with the arena bytes and the heap bytes allocated per
 * step measured alongside. Prints a table to paste from a board.
 */
final class BenchCommand implements Command {
    /** One benchmark case: the layer widths and the batch size. */
    record Case(int[] widths, int batch) {
        /** e.g. {@code 64-128-64-10/32}. */
        String id() {
            return name() + "/" + batch;
        }

        String name() {
            StringBuilder sb = new StringBuilder();
            for (int w : widths) sb.append(sb.length() == 0 ? "" : "-").append(w);
            return sb.toString();
        }
    }

    static final List<Case> CASES = List.of(new Case(new int[] {64, 128, 64, 10}, 1), new Case(new int[] {64, 128, 64, 10}, 32),
            new Case(new int[] {784, 256, 128, 10}, 32));

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure training samples/s, arena bytes and allocation per step";
    }

    @Override
    public String usage() {
        return """
                edgetrain bench [--seconds S] [--kernels auto|java] [--cases LIST]
                  --seconds  measuring time per case after a warm-up of the same length (default 3)
                  --cases    only these cases, e.g. 64-128-64-10/32,784-256-128-10/32 (default: all)
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) {
        Args args = new Args(name(), argv, 0, Set.of("seconds", "kernels", "cases"), Set.of());
        List<String> only = args.has("cases") ? List.of(args.get("cases").split(",")) : null;
        if (only != null) {
            for (String id : only) {
                if (CASES.stream().noneMatch(c -> c.id().equals(id))) {
                    throw new BadInputException("bench: --cases: unknown case '" + id + "'; allowed: "
                            + String.join(", ", CASES.stream().map(Case::id).toList()));
                }
            }
        }
        double seconds = args.doubleValue("seconds", 3, 0.1);
        Kernels kernels = KernelLoader.load(args.has("kernels") ? args.get("kernels") : "auto");
        out.printf(Locale.ROOT, "edgetrain bench: kernels %s, 1 thread, Java %s (%s), %s/%s, %d cores%n", kernels.name(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        out.println("MLP with leaky_relu, cross-entropy, SGD momentum 0.9, lr 0.01, no clipping; synthetic data");
        out.printf(Locale.ROOT, "%-16s %6s %12s %12s %10s %14s%n", "model", "batch", "arena bytes", "samples/s", "us/step",
                "alloc B/step");
        for (Case c : CASES) {
            if (only != null && !only.contains(c.id())) continue;
            Result r = measure(c, kernels, seconds);
            out.printf(Locale.ROOT, "%-16s %6d %,12d %,12.0f %10.2f %14s%n", c.name(), c.batch(), r.arenaBytes, r.samplesPerSecond,
                    r.microsPerStep, r.allocPerStep < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", r.allocPerStep));
        }
        return 0;
    }

    record Result(long arenaBytes, double samplesPerSecond, double microsPerStep, double allocPerStep) { }

    static Result measure(Case c, Kernels kernels, double seconds) {
        NetworkSpec.Builder b = NetworkSpec.builder(c.widths()[0]);
        for (int i = 1; i < c.widths().length; i++) {
            b.dense(c.widths()[i]);
            if (i < c.widths().length - 1) b.leakyRelu();
        }
        TrainingSpec spec = TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.momentum(0.01f, 0.9f))
                .withClipping(Clipping.NONE).withBatch(c.batch()).withSeed(7);
        Trainer t = new Trainer(b.build(), spec, kernels);
        int rows = 2048, in = c.widths()[0], classes = c.widths()[c.widths().length - 1];
        Rng rng = new Rng(3);
        float[] x = new float[rows * in];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(classes);
        int batch = c.batch();
        int from = 0;
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
            for (int k = 0; k < 64; k++) {
                t.step(x, from * in, y, from, batch);
                from = from + 2 * batch > rows ? 0 : from + batch;
            }
        }
        long steps = 0;
        long alloc0 = AllocationCounter.currentThread();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int k = 0; k < 64; k++) {
                t.step(x, from * in, y, from, batch);
                from = from + 2 * batch > rows ? 0 : from + batch;
            }
            steps += 64;
            now = System.nanoTime();
        } while (now < end);
        long alloc1 = AllocationCounter.currentThread();
        double elapsed = (now - t0) / 1e9;
        double allocPerStep = alloc0 < 0 ? -1 : (double) (alloc1 - alloc0) / steps;
        return new Result(t.memoryPlan().totalBytes(), steps * batch / elapsed, elapsed * 1e6 / steps, allocPerStep);
    }
}
