package org.edgetrain.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * {@code edgetrain demo}: the supervised demo with nothing to download: trains the example config on the handwritten
 * digits packaged in the jar, then evaluates the model on the held-out test split, through the same train and eval
 * commands a user runs.
 */
final class DemoCommand implements Command {
    private static final String[] FILES = {"digits.conf", "digits-train.csv", "digits-test.csv"};

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train and evaluate the digits example packaged in the jar";
    }

    @Override
    public String usage() {
        return """
                edgetrain demo [--out FILE] [--quiet]
                  --out  model file to write (default: digits.etm)
                """;
    }

    @Override
    public int run(String[] argv, PrintStream out) throws Exception {
        Args args = new Args(name(), argv, 0, Set.of("out"), Set.of("quiet"));
        String model = args.has("out") ? args.get("out") : "digits.etm";
        Path dir = Files.createTempDirectory("edgetrain-demo");
        try {
            for (String f : FILES) extract(f, dir.resolve(f));
            out.println("demo: 8x8 handwritten digits (UCI, CC BY 4.0), config " + "examples/digits.conf");
            String[] train = {"--config", dir.resolve("digits.conf").toString(), "--train", dir.resolve("digits-train.csv").toString(),
                "--val", dir.resolve("digits-test.csv").toString(), "--out", model};
            if (args.flag("quiet")) train = append(train, "--quiet");
            int rc = new TrainCommand().run(train, out);
            if (rc != 0) return rc;
            out.println();
            return new EvalCommand().run(new String[] {"--model", model, "--data", dir.resolve("digits-test.csv").toString()}, out);
        } finally {
            for (String f : FILES) Files.deleteIfExists(dir.resolve(f));
            Files.deleteIfExists(dir);
        }
    }

    private static String[] append(String[] a, String s) {
        String[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    private static void extract(String name, Path to) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) throw new IOException("resource /demo/" + name + " is missing from the jar");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
