package org.edgetrain.log;

import java.io.PrintStream;

/**
 * One line per message on the console: {@code <prefix>LEVEL: message}. The CLI sends every level to stderr, keeping
 * stdout for its results; the daemon sends warnings and errors to stderr (journald keeps both) and the rest to stdout.
 * System.out and System.err are looked up at each line, as tinylog's console did, so a redirected stream is followed.
 */
final class ConsoleWriter implements LogSink {
    private final Level level;
    private final String prefix;
    private final boolean allToStderr;
    /** Fixed streams (tests); null for System.out and System.err. */
    private final PrintStream low;
    private final PrintStream high;

    private ConsoleWriter(Level level, String prefix, boolean allToStderr, PrintStream low, PrintStream high) {
        this.level = level;
        this.prefix = prefix;
        this.allToStderr = allToStderr;
        this.low = low;
        this.high = high;
    }

    /** Writes to fixed streams: {@code low} takes the lines below WARN, {@code high} the warnings and errors. */
    ConsoleWriter(Level level, String prefix, PrintStream low, PrintStream high) {
        this(level, prefix, false, low, high);
    }

    /** The CLI's default: warnings and errors on stderr, {@code edgetrain WARN: message}. */
    static ConsoleWriter cli() {
        return new ConsoleWriter(Level.WARN, "edgetrain ", true, null, null);
    }

    /** The daemon's console at {@code level}: {@code LEVEL: message}, warnings and errors on stderr, the rest on stdout. */
    static ConsoleWriter daemon(Level level) {
        return new ConsoleWriter(level, "", false, null, null);
    }

    @Override
    public Level threshold() {
        return level;
    }

    @Override
    public void write(Level l, long epochMillis, String text) {
        if (l.compareTo(level) < 0) return;
        PrintStream s = stream(l.compareTo(Level.WARN) >= 0);
        // one print call per line, so lines of two threads never interleave
        s.print(prefix + l.name() + ": " + text + System.lineSeparator());
        s.flush();
    }

    @Override
    public void shutdown() {
        stream(false).flush();
        stream(true).flush();
    }

    private PrintStream stream(boolean warning) {
        if (warning) return high != null ? high : System.err;
        if (low != null) return low;
        return allToStderr ? System.err : System.out;
    }
}
