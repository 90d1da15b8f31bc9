package org.edgetrain.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.edgetrain.config.RunConfig;
import org.edgetrain.data.TrainingData;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.kernels.KernelCheck;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.kernels.NativeKernels;
import org.edgetrain.kernels.NativeLibrary;
import org.edgetrain.kernels.Platform;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Trainer;

/**
 * {@code edgetrain selftest}: what to run first on a new board. Reports which kernels loaded, checks every native
 * kernel against the Java reference on edge shapes (and the threaded products against the single-threaded ones, bit
 * for bit), trains a small digits model that must converge, and exits 1 on any failure.
 */
final class SelftestCommand implements Command {
    @Override
    public String name() {
        return "selftest";
    }

    @Override
    public String summary() {
        return "check the native kernels against Java and train a small model (run first on a new board)";
    }

    @Override
    public String usage() {
        return """
                edgetrain selftest [--require-native] [--threads N]
                  --require-native  fail if the native library does not load (instead of testing Java only)
                  --threads         worker threads to check the threaded products with (default: available cores, at most 4)
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("threads"), Set.of("require-native"));
        int threads = args.intValue("threads", Math.min(4, Runtime.getRuntime().availableProcessors()), 1);
        out.printf(Locale.ROOT, "platform   %s (os.arch %s), Java %s, %d cores%n", Platform.current(), System.getProperty("os.arch"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        NativeLibrary.Result lib = NativeLibrary.load();
        boolean ok = true;
        Kernels kernels;
        if (lib.ok()) {
            NativeKernels nk = (NativeKernels) KernelLoader.load("native", threads);
            out.printf(Locale.ROOT, "native     loaded from %s: %s, %d threads%n", lib.source(), nk.description(), nk.threads());
            long t0 = System.nanoTime();
            KernelCheck check = new KernelCheck(new JavaKernels(), KernelLoader.directNative());
            List<String> failures = check.run();
            for (String s : check.summary()) out.println("  " + s);
            List<String> threadFailures = KernelLoader.checkThreadsBitIdentical(nk);
            out.printf(Locale.ROOT, "kernels    %,d values compared in %.1f s: %s%n", check.checks(), (System.nanoTime() - t0) / 1e9,
                    failures.isEmpty() ? "all match the Java reference" : failures.size() + " MISMATCHES");
            for (String f : failures) out.println("  MISMATCH " + f);
            out.println("threads    " + (threadFailures.isEmpty() ? "threaded products bit-identical to single-threaded"
                    : threadFailures.size() + " MISMATCHES"));
            for (String f : threadFailures) out.println("  MISMATCH " + f);
            ok = failures.isEmpty() && threadFailures.isEmpty();
            ok &= TimeLayerCheck.run(nk, out);
            kernels = nk;
        } else {
            out.println("native     not loaded: " + lib.reason());
            if (args.flag("require-native")) {
                out.println("selftest FAILED: --require-native");
                return 1;
            }
            out.println("kernels    Java only (the reference)");
            kernels = new JavaKernels();
        }
        ok &= train(kernels, out);
        ok &= fixedPoint(lib.ok(), out);
        out.println(ok ? "selftest passed" : "selftest FAILED");
        return ok ? 0 : 1;
    }

    /**
     * Fixed point: the native int16 products against the Java reference bit for bit, then a fixed short training
     * (digits, 64-32-10 with dropout, momentum, stochastic rounding, 2 epochs, seed 1) whose int16 weights must have the
     * same digest with Java and native kernels. The {@code fixed-digest} line is what scripts/test-arm.sh compares
     * across x86-64, arm64 and armhf: integer arithmetic makes it the same everywhere.
     */
    private static boolean fixedPoint(boolean nativeLoaded, PrintStream out) throws Exception {
        boolean ok = true;
        boolean nat = nativeLoaded && org.edgetrain.fixed.NativeFixedKernels.available();
        if (nat) {
            org.edgetrain.fixed.FixedKernelCheck check = new org.edgetrain.fixed.FixedKernelCheck(new org.edgetrain.fixed.JavaFixedKernels(),
                    org.edgetrain.fixed.NativeFixedKernels.direct());
            List<String> failures = check.run();
            out.printf(Locale.ROOT, "fixed      %,d int16 values compared: %s%n", check.values(),
                    failures.isEmpty() ? "native products and updates bit-identical to the Java reference" : failures.size() + " MISMATCHES");
            for (String f : failures) out.println("  MISMATCH " + f);
            ok = failures.isEmpty();
        }
        String java = fixedDigest(new org.edgetrain.fixed.JavaFixedKernels());
        String digest = java;
        if (nat) {
            String nd = fixedDigest(new org.edgetrain.fixed.NativeFixedKernels());
            out.printf(Locale.ROOT, "fixed      weights after 2 epochs: java %s, native %s: %s%n", java, nd, java.equals(nd) ? "identical" : "DIFFERENT");
            ok &= java.equals(nd);
        } else {
            out.printf(Locale.ROOT, "fixed      weights after 2 epochs: java %s%n", java);
        }
        out.println("fixed-digest " + digest);
        return ok;
    }

    private static String fixedDigest(org.edgetrain.fixed.FixedKernels kernels) throws Exception {
        Path dir = Files.createTempDirectory("edgetrain-selftest-fixed");
        Path f = dir.resolve("digits-train.csv");
        try {
            try (InputStream in = SelftestCommand.class.getResourceAsStream("/demo/digits-train.csv")) {
                if (in == null) throw new IllegalStateException("resource /demo/digits-train.csv missing from the jar");
                Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            }
            RunConfig cfg = RunConfig.parse("selftest-fixed", """
                    [model]
                    layers = dense(32) leaky_relu dropout(0.1) dense(10)
                    [optimizer]
                    type = momentum
                    lr = 0.01
                    [train]
                    epochs = 2
                    seed = 1
                    [engine]
                    precision = fixed
                    """);
            TrainingData data = TrainingData.prepare(cfg, f, null, null);
            org.edgetrain.train.FixedTrainer t = new org.edgetrain.train.FixedTrainer(data.network(), cfg.training(), kernels, cfg.rounding());
            t.fit(data.train(), null, r -> { });
            return t.weightDigest();
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        }
    }

    /** A small digits model (64-32-10, 8 epochs) on the jar's own data must reach 0.9 test accuracy. */
    private static boolean train(Kernels kernels, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("edgetrain-selftest");
        try {
            for (String f : new String[] {"digits-train.csv", "digits-test.csv"}) {
                try (InputStream in = SelftestCommand.class.getResourceAsStream("/demo/" + f)) {
                    if (in == null) throw new IllegalStateException("resource /demo/" + f + " missing from the jar");
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            RunConfig cfg = RunConfig.parse("selftest", """
                    [model]
                    layers = dense(32) leaky_relu dense(10)
                    [train]
                    epochs = 8
                    """);
            TrainingData data = TrainingData.prepare(cfg, dir.resolve("digits-train.csv"), dir.resolve("digits-test.csv"), null);
            long t0 = System.nanoTime();
            Trainer t = new Trainer(data.network(), cfg.training(), kernels);
            t.fit(data.train(), null, r -> { });
            Evaluation e = t.evaluate(data.validation());
            boolean ok = e.accuracy() >= 0.9;
            out.printf(Locale.ROOT, "training   64-32-10 on digits, 8 epochs with %s kernels: test accuracy %.4f in %.1f s (needs 0.9): %s%n",
                    kernels.name(), e.accuracy(), (System.nanoTime() - t0) / 1e9, ok ? "ok" : "FAILED");
            return ok;
        } finally {
            for (String f : new String[] {"digits-train.csv", "digits-test.csv"}) Files.deleteIfExists(dir.resolve(f));
            Files.deleteIfExists(dir);
        }
    }
}
