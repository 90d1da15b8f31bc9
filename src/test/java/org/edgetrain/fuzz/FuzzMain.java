package org.edgetrain.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The fuzz loop, in a JVM of its own (started by {@link FuzzTest} with the service's small stack and heap): for each
 * target, the kept regression inputs ({@code src/test/resources/fuzz/<target>/}), then seeded mutations until the time
 * or input budget is spent. An input that throws anything but the documented bad-input error is saved with its stack
 * trace under {@code <out>/<target>/}; one that runs longer than {@link #HANG_SECONDS} is saved and ends the JVM
 * (exit 3). Prints one line per target: inputs, accepted, rejected, findings.
 *
 * <p>Usage: {@code FuzzMain OUT_DIR SECONDS_PER_TARGET MAX_INPUTS_PER_TARGET SEED [TARGET...]} (MAX 0: no limit)
 */
public final class FuzzMain {
    static final int HANG_SECONDS = 20;

    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        org.edgetrain.log.Log.off(); // damaged inputs warn by design; millions of lines
        Path out = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        long maxInputs = Long.parseLong(args[2]);
        long seed = Long.parseLong(args[3]);
        List<String> only = List.of(args).subList(4, args.length);
        Path work = Files.createTempDirectory("edgetrain-fuzz");
        AtomicLong started = new AtomicLong(0);
        byte[][] current = new byte[1][];
        String[] currentTarget = {""};
        Thread watchdog = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long s = started.get();
                if (s != 0 && System.nanoTime() - s > HANG_SECONDS * 1_000_000_000L) {
                    try {
                        save(out.resolve(currentTarget[0]), "hang", current[0], "ran longer than " + HANG_SECONDS + " s");
                    } catch (Exception ignored) {
                        // the exit code still reports it
                    }
                    System.out.println("HANG " + currentTarget[0]);
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "fuzz-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int findingsTotal = 0;
        for (FuzzTargets.Target t : new FuzzTargets(work).all()) {
            if (!only.isEmpty() && !only.contains(t.name())) continue;
            currentTarget[0] = t.name();
            long inputs = 0, accepted = 0, rejected = 0, findings = 0, regressions = 0;
            List<byte[]> queue = new ArrayList<>(regressionInputs(t.name()));
            regressions = queue.size();
            queue.addAll(t.seeds());
            Mutator m = new Mutator(seed ^ t.name().hashCode(), t.seeds());
            long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
            int q = 0;
            while (q < queue.size() || (System.nanoTime() < end && (maxInputs == 0 || inputs < maxInputs))) {
                byte[] in = q < queue.size() ? queue.get(q++) : m.next();
                current[0] = in;
                started.set(System.nanoTime());
                try {
                    if (t.run(in) == FuzzTargets.Outcome.ACCEPTED) accepted++;
                    else rejected++;
                } catch (Throwable e) {
                    findings++;
                    if (findings <= 20) {
                        StringWriter sw = new StringWriter();
                        e.printStackTrace(new PrintWriter(sw));
                        Path f = save(out.resolve(t.name()), "crash", in, sw.toString());
                        System.out.println("FINDING " + t.name() + " " + f + ": " + e);
                    }
                } finally {
                    started.set(0);
                }
                inputs++;
            }
            findingsTotal += findings;
            System.out.printf(Locale.ROOT, "fuzz %-14s inputs=%d accepted=%d rejected=%d findings=%d regressions=%d seconds=%.1f%n", t.name(), inputs,
                    accepted, rejected, findings, regressions, (System.nanoTime() - t0) / 1e9);
            System.out.flush();
        }
        System.exit(findingsTotal == 0 ? 0 : 1);
    }

    /** Inputs kept from earlier findings: they must stay fixed. */
    static List<byte[]> regressionInputs(String target) throws Exception {
        Path dir = Path.of("src/test/resources/fuzz", target);
        List<byte[]> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".bin")).sorted().toList()) out.add(Files.readAllBytes(p));
        }
        return out;
    }

    static Path save(Path dir, String kind, byte[] input, String why) throws Exception {
        Files.createDirectories(dir);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(input);
        Path f = dir.resolve(String.format(Locale.ROOT, "%s-%08x.bin", kind, crc.getValue()));
        Files.write(f, input);
        Files.writeString(dir.resolve(f.getFileName() + ".txt"), why);
        return f;
    }
}
