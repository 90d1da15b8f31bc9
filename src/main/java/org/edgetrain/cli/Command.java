package org.edgetrain.cli;

import java.io.PrintStream;

/** One CLI command: parses its own flags and returns the process exit code. */
interface Command {
    String name();

    /** One line for {@code edgetrain help}. */
    String summary();

    /** Usage lines shown with {@code edgetrain help <command>} and on a bad flag. */
    String usage();

    int run(String[] argv, PrintStream out) throws Exception;
}
