package org.edgetrain.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.monitor.TrainingDivergedException;
import org.edgetrain.io.FormatException;

/**
 * The one entry point: {@code edgetrain <command> [options]}. Exit codes: 0 success, 2 bad input (config, data, model
 * file, flags: one line on stderr saying what and where), 1 anything else.
 */
public final class Main {
    /** The commands in the order help lists them; each is its class's {@code name()} (MainTest checks). */
    static final List<String> NAMES = List.of("demo", "train", "eval", "predict", "plan", "export", "bench", "selftest", "doctor",
            "ingest", "run");

    /**
     * The command called {@code name}, or null. Only that one is made: the daemon ({@code run}) then loads none of the
     * other commands' classes, nor what their static fields pull in (bench: both kernel families; README, the classes
     * the default daemon loads).
     */
    static Command command(String name) {
        return switch (name) {
            case "demo" -> new DemoCommand();
            case "train" -> new TrainCommand();
            case "eval" -> new EvalCommand();
            case "predict" -> new PredictCommand();
            case "plan" -> new PlanCommand();
            case "export" -> new ExportCommand();
            case "bench" -> new BenchCommand();
            case "selftest" -> new SelftestCommand();
            case "doctor" -> new DoctorCommand();
            case "ingest" -> new IngestCommand();
            case "run" -> new RunCommand();
            default -> null;
        };
    }

    private Main() {
    }

    public static void main(String[] argv) {
        int rc = run(argv, System.out, System.err);
        System.out.flush();
        System.exit(rc);
    }

    /** Runs a command line; returns the exit code (tests call this directly). */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            Command asked = argv.length > 1 ? command(argv[1]) : null;
            if (asked != null) {
                out.print(asked.usage());
                return 0;
            }
            out.print(help());
            return argv.length == 0 ? 2 : 0;
        }
        if (argv[0].equals("version") || argv[0].equals("--version")) {
            out.println("edgetrain " + version());
            return 0;
        }
        Command c = command(argv[0]);
        if (c == null) {
            err.println("edgetrain: unknown command '" + argv[0] + "'; commands: " + String.join(", ", NAMES)
                    + " (edgetrain help)");
            return 2;
        }
        try {
            return c.run(Arrays.copyOfRange(argv, 1, argv.length), out);
        } catch (BadInputException | FormatException e) {
            err.println("edgetrain " + c.name() + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("edgetrain " + c.name() + ": " + e);
            return 1;
        } catch (TrainingDivergedException e) {
            err.println("edgetrain " + c.name() + ": " + e.getMessage());
            return 1;
        }
        catch (Exception e) {
            err.println("edgetrain " + c.name() + ": internal error, please report: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    static String help() {
        StringBuilder sb = new StringBuilder("edgetrain " + version() + ": on-device neural network training\n\n"
                + "usage: edgetrain <command> [options]    (edgetrain help <command> for its options)\n\n");
        for (String name : NAMES) {
            Command c = command(name);
            sb.append(String.format("  %-9s %s%n", c.name(), c.summary()));
        }
        sb.append(String.format("  %-9s %s%n", "version", "print the version"));
        return sb.toString();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
