package org.edgetrain.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process as a user would from a shell, capturing stdout, stderr and the exit code. */
public record CliRunner(int exitCode, String out, String err) {

    public static CliRunner run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(argv, o, e);
        }
        return new CliRunner(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The number after {@code key } on the first line that starts with it, e.g. {@code accuracy 0.9667}. */
    public double number(String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + " ")) return Double.parseDouble(line.substring(key.length() + 1).trim().split("\\s+")[0]);
        }
        throw new AssertionError("no line starting with '" + key + "' in:\n" + out + err);
    }
}
