package org.edgetrain.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.kernels.Crossover;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.kernels.NativeKernels;
import org.edgetrain.kernels.NativeLibrary;
import org.edgetrain.kernels.Platform;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.AllocationCounter;
import org.edgetrain.util.Rng;

/**
 * {@code edgetrain bench}: this machine's numbers, side by side in one run, as a table to paste from a board: the
 * 128-bit FMA peak, GFLOP/s of the three dense products (Java, native on one thread, native on all threads), and
 * training samples/s of the reference MLPs with the arena bytes and heap bytes allocated per step. {@code --crossover}
 * measures where a native call starts to beat Java.
 */
final class BenchCommand implements Command {
    /** One training case: the layer widths and the batch size. */
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
        return "measure GFLOP/s, training samples/s, arena bytes and allocation per step";
    }

    @Override
    public String usage() {
        return """
                edgetrain bench [--seconds S] [--kernels auto|native|java] [--threads N] [--cases LIST] [--crossover]
                  --seconds    measuring time per figure after a warm-up of the same length (default 2)
                  --kernels    java: Java columns only; native: fail without the library; auto (default): both if it loads
                  --threads    threads for the all-threads columns (default: available cores)
                  --cases      only these training cases, e.g. 64-128-64-10/32,784-256-128-10/32 or time (conv and GRU rows) (default: all)
                  --crossover  measure the sizes from which a native call beats Java, and stop
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) {
        Args args = new Args(name(), argv, 0, Set.of("seconds", "kernels", "cases", "threads"), Set.of("crossover"));
        double seconds = args.doubleValue("seconds", 2, 0.05);
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = args.intValue("threads", cores, 1);
        String pref = args.has("kernels") ? args.get("kernels") : "auto";
        List<String> only = args.has("cases") ? List.of(args.get("cases").split(",")) : null;
        if (only != null) {
            for (String id : only) {
                if (!id.equals("time") && CASES.stream().noneMatch(c -> c.id().equals(id))) {
                    throw new BadInputException("bench: --cases: unknown case '" + id + "'; allowed: "
                            + String.join(", ", CASES.stream().map(Case::id).toList()) + ", time (the time-layer rows)");
                }
            }
        }
        List<Kernels> columns = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        if (!pref.equals("native")) {
            columns.add(new JavaKernels());
            headers.add("java");
        }
        NativeKernels one = null;
        if (!pref.equals("java")) {
            Kernels k = KernelLoader.load(pref, 1);
            if (k instanceof NativeKernels n) {
                one = n;
                columns.add(n);
                headers.add("native 1t");
                if (threads > 1) {
                    columns.add(KernelLoader.load("native", threads));
                    headers.add("native " + threads + "t");
                }
            }
        }
        out.printf(Locale.ROOT, "edgetrain bench: Java %s (%s), %s, %d cores%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Platform.current(), cores);
        NativeLibrary.Result lib = NativeLibrary.load();
        out.println("native: " + (one != null ? one.description() : "not used (" + (lib.ok() ? "--kernels java" : lib.reason()) + ")"));
        int alignment = objectAlignment();
        // only a 64-bit JVM accepts the flag (a 32-bit one refuses to start with it): no advice it could not follow
        boolean jvm64 = "64".equals(System.getProperty("sun.arch.data.model"));
        if (one != null && alignment < 16 && jvm64) {
            // float[] data then starts 8 or 16 bytes into a 16-byte line depending on where the heap put the arena, and
            // batch-1 native speed differs by up to ~25% between runs; the launcher passes the flag
            out.println("note: JVM object alignment " + alignment + " bytes; -XX:ObjectAlignmentInBytes=16 (as scripts/edgetrain"
                    + " passes) makes native batch-1 timings repeatable");
        }
        if (args.flag("crossover")) {
            if (one == null) throw new BadInputException("bench --crossover needs the native library: " + lib.reason());
            Crossover.print(out, one, seconds);
            return 0;
        }
        double peak = one != null ? NativeKernels.peakGflops(Math.max(200, (int) (seconds * 1000))) : Double.NaN;
        if (one != null) out.printf(Locale.ROOT, "peak: 128-bit FMA, 1 thread: %.1f GFLOP/s%n", peak);

        out.println();
        out.println("dense products at batch 32, in 256, out 256 (GFLOP/s" + (one != null ? "; % of the 128-bit peak" : "") + ")");
        out.printf(Locale.ROOT, "%-26s", "product");
        for (String h : headers) out.printf(Locale.ROOT, " %16s", h);
        out.println();
        for (Product p : Product.values()) {
            out.printf(Locale.ROOT, "%-26s", p.label);
            for (Kernels k : columns) {
                double g = p.gflops(k, 32, 256, 256, seconds);
                out.printf(Locale.ROOT, " %16s", Double.isNaN(peak) || k instanceof JavaKernels && one == null
                        ? String.format(Locale.ROOT, "%.1f", g)
                        : String.format(Locale.ROOT, "%.1f (%.0f%%)", g, 100 * g / peak));
            }
            out.println();
        }

        out.println();
        out.println("training samples/s: MLP with leaky_relu, cross-entropy, SGD momentum 0.9, lr 0.001, no clipping; synthetic data");
        out.printf(Locale.ROOT, "%-16s %6s %12s", "model", "batch", "arena bytes");
        for (String h : headers) out.printf(Locale.ROOT, " %12s", h);
        out.printf(Locale.ROOT, " %14s%n", "alloc B/step");
        java.util.Map<Case, double[]> fp32 = new java.util.HashMap<>(); // case -> {arena bytes, best samples/s}
        for (Case c : CASES) {
            if (only != null && !only.contains(c.id())) continue;
            out.printf(Locale.ROOT, "%-16s %6d", c.name(), c.batch());
            double alloc = 0;
            long arena = 0;
            double best = 0, oneThreadCpu = 0;
            StringBuilder cells = new StringBuilder();
            for (Kernels k : columns) {
                Result r = measure(c, k, seconds);
                arena = r.arenaBytes;
                alloc = Math.max(alloc, r.allocPerStep);
                best = Math.max(best, r.samplesPerSecond);
                if (k == one || one == null) oneThreadCpu = r.samplesPerCpuSecond; // native 1t, else Java
                cells.append(String.format(Locale.ROOT, " %,12.0f", r.samplesPerSecond));
            }
            fp32.put(c, new double[] {arena, best, oneThreadCpu});
            out.printf(Locale.ROOT, " %,12d%s %14s%n", arena, cells, allocText(alloc));
        }
        fixedPoint(out, only, fp32, !pref.equals("java") && org.edgetrain.fixed.NativeFixedKernels.available(), seconds);
        if (only == null || only.contains("time")) TimeSeriesBench.print(out, columns, headers, seconds, peak);
        if (only == null || only.contains("time")) { // int16 rows of the conv model (the GRU has no int16 layer)
            FixedTimeSeriesBench.print(out, columns.get(columns.size() - 1), headers.get(headers.size() - 1),
                    !pref.equals("java") && org.edgetrain.fixed.NativeFixedKernels.available(), seconds);
        }
        return 0;
    }

    /**
     * The same cases in fixed point (engine.precision = fixed, stochastic rounding) beside fp32: arena bytes, their
     * ratio, and samples/s with the Java and the native fixed-point kernels against fp32's best column.
     */
    private static void fixedPoint(PrintStream out, List<String> only, java.util.Map<Case, double[]> fp32, boolean nat, double seconds) {
        out.println();
        out.println("fixed point (int16, stochastic rounding) vs fp32, same cases: arena bytes and samples/s (fp32: its best column);");
        out.println("speed: fixed (native if loaded) / fp32 (one thread, native if loaded), each in samples per second of the measuring");
        out.println("thread's CPU time, which other load on the machine does not skew");
        out.printf(Locale.ROOT, "%-16s %6s %12s %12s %6s %12s %12s%s %14s %6s%n", "model", "batch", "fp32 bytes", "fixed bytes", "ratio",
                "fp32 /s", "fixed java", nat ? String.format(Locale.ROOT, " %12s", "fixed native") : "", "alloc B/step", "speed");
        for (Case c : CASES) {
            if (only != null && !only.contains(c.id())) continue;
            Result j = measureFixed(c, new org.edgetrain.fixed.JavaFixedKernels(), seconds);
            Result n = nat ? measureFixed(c, new org.edgetrain.fixed.NativeFixedKernels(), seconds) : null;
            double[] f = fp32.get(c);
            double alloc = Math.max(j.allocPerStep, n == null ? 0 : n.allocPerStep);
            double speed = (n == null ? j : n).samplesPerCpuSecond / f[2];
            out.printf(Locale.ROOT, "%-16s %6d %,12d %,12d %5.1f%% %,12.0f %,12.0f%s %14s %5.2fx%n", c.name(), c.batch(), (long) f[0], j.arenaBytes,
                    100.0 * j.arenaBytes / f[0], f[1], j.samplesPerSecond, n == null ? "" : String.format(Locale.ROOT, " %,12.0f", n.samplesPerSecond),
                    allocText(alloc), speed);
        }
    }

    static Result measureFixed(Case c, org.edgetrain.fixed.FixedKernels kernels, double seconds) {
        TrainingSpec spec = spec(c);
        org.edgetrain.train.FixedTrainer t = new org.edgetrain.train.FixedTrainer(network(c), spec, kernels,
                org.edgetrain.fixed.Rounding.STOCHASTIC);
        return time(c, seconds, t.memoryPlan().totalBytes(), (x, xo, y, yo, rows) -> t.step(x, xo, y, yo, rows));
    }

    private static NetworkSpec network(Case c) {
        NetworkSpec.Builder b = NetworkSpec.builder(c.widths()[0]);
        for (int i = 1; i < c.widths().length; i++) {
            b.dense(c.widths()[i]);
            if (i < c.widths().length - 1) b.leakyRelu();
        }
        return b.build();
    }

    private static TrainingSpec spec(Case c) {
        return TrainingSpec.defaults(LossKind.CROSS_ENTROPY).withOptimizer(OptimizerSpec.momentum(0.001f, 0.9f))
                .withClipping(Clipping.NONE).withBatch(c.batch()).withSeed(7);
    }

    /** One training step of some trainer: {@code rows} contiguous rows from the given offsets. */
    interface Step {
        void run(float[] x, int xOffset, float[] y, int yOffset, int rows);
    }

    /** The three matrix products of a dense layer. */
    enum Product {
        FORWARD("forward   Y = X·Wᵀ + b"), INPUT_GRAD("input     dX = dY·W"), WEIGHT_GRAD("weight    dW += dYᵀ·X");

        final String label;

        Product(String label) {
            this.label = label;
        }

        void run(Kernels k, float[] a, int batch, int in, int out) {
            int x = 0, w = batch * in, b = w + out * in, y = b + out;
            switch (this) {
                case FORWARD -> k.denseForward(a, x, w, b, y, batch, in, out);
                case INPUT_GRAD -> k.denseInputGrad(a, y, w, x, batch, in, out);
                case WEIGHT_GRAD -> k.denseWeightGrad(a, y, x, w, batch, in, out, true);
            }
        }

        double gflops(Kernels k, int batch, int in, int out, double seconds) {
            float[] a = new float[batch * in + out * in + out + batch * out];
            Rng rng = new Rng(11);
            for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextGaussian() * 0.01);
            long end = System.nanoTime() + (long) (seconds * 0.5e9);
            while (System.nanoTime() < end) run(k, a, batch, in, out);
            long calls = 0;
            long t0 = System.nanoTime();
            long now;
            do {
                for (int i = 0; i < 16; i++) run(k, a, batch, in, out);
                calls += 16;
                now = System.nanoTime();
            } while (now - t0 < seconds * 1e9);
            return 2.0 * batch * in * out * calls / (now - t0);
        }
    }

    /** samplesPerCpuSecond: per second of the measuring thread's CPU time (NaN where the JVM cannot tell). */
    record Result(long arenaBytes, double samplesPerSecond, double microsPerStep, double allocPerStep, double samplesPerCpuSecond) { }

    static Result measure(Case c, Kernels kernels, double seconds) {
        Trainer t = new Trainer(network(c), spec(c), kernels);
        return time(c, seconds, t.memoryPlan().totalBytes(), (x, xo, y, yo, rows) -> t.step(x, xo, y, yo, rows));
    }

    private static Result time(Case c, double seconds, long arenaBytes, Step t) {
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
                t.run(x, from * in, y, from, batch);
                from = from + 2 * batch > rows ? 0 : from + batch;
            }
        }
        long steps = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int k = 0; k < 64; k++) {
                t.run(x, from * in, y, from, batch);
                from = from + 2 * batch > rows ? 0 : from + batch;
            }
            steps += 64;
            now = System.nanoTime();
        } while (now < end);
        long cpu1 = cpu0 < 0 ? -1 : threads.getCurrentThreadCpuTime();
        double elapsed = (now - t0) / 1e9;
        return new Result(arenaBytes, steps * batch / elapsed, elapsed * 1e6 / steps, allocationPerStep(t, x, y, in, batch, rows),
                cpu0 < 0 || cpu1 <= cpu0 ? Double.NaN : steps * batch / ((cpu1 - cpu0) / 1e9));
    }

    /** Steps per allocation window, and the most windows measured. */
    static final int ALLOC_WINDOW = 256, ALLOC_WINDOWS = 8;

    /**
     * Heap bytes per step over the first of up to {@link #ALLOC_WINDOWS} windows of {@link #ALLOC_WINDOW} steps that
     * allocates nothing, else over the quietest one. Neither the step nor this loop allocates (with C1 alone every
     * window is 0); what showed as 0.1-2.8 B/step was HotSpot's runtime at C2 tier changes of methods the step calls
     * (they coincide with -XX:+PrintCompilation's lines, and JFR puts their Strings at those methods' entries), which a
     * short warm-up leaves inside the timed stretch. A real allocation in the step, 16 bytes or more every step, would
     * show in every window.
     */
    static double allocationPerStep(Step t, float[] x, float[] y, int in, int batch, int rows) {
        if (AllocationCounter.currentThread() < 0) return -1;
        long best = Long.MAX_VALUE;
        int from = 0;
        for (int w = 0; w < ALLOC_WINDOWS && best > 0; w++) {
            long a0 = AllocationCounter.currentThread();
            for (int k = 0; k < ALLOC_WINDOW; k++) {
                t.run(x, from * in, y, from, batch);
                from = from + 2 * batch > rows ? 0 : from + batch;
            }
            best = Math.min(best, AllocationCounter.currentThread() - a0);
        }
        return (double) best / ALLOC_WINDOW;
    }

    /** Bytes per step as the table prints them: an exact {@code 0}, a fraction, or n/a where the JVM cannot count. */
    static String allocText(double alloc) {
        return alloc < 0 ? "n/a" : alloc == 0 ? "0" : String.format(Locale.ROOT, "%.1f", alloc);
    }

    /** The JVM's object alignment in bytes (8 unless -XX:ObjectAlignmentInBytes says otherwise), or 8 if not readable. */
    static int objectAlignment() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(bean.getVMOption("ObjectAlignmentInBytes").getValue());
        } catch (RuntimeException e) {
            return 8;
        }
    }
}
