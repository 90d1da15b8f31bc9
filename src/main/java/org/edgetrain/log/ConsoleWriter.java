package org.edgetrain.log;

import java.io.PrintStream;

/**
 * One line per message on the console: {@code <prefix>LEVEL: message}. The CLI sends every level to stderr, keeping
 * stdout for its results; the daemon sends warnings and errors to stderr (journald keeps both) and the rest to stdout.
 */
final class ConsoleWriter implements LogSink {
    private final Level level;
    private final String prefix;
    private final PrintStream low;
    private final PrintStream high;

    /** {@code low} takes the lines below WARN, {@code high} the warnings and errors. */
    ConsoleWriter(Level level, String prefix, PrintStream low, PrintStream high) {
        this.level = level;
        this.prefix = prefix;
        this.low = low;
        this.high = high;
    }

    /** The CLI's default: warnings and errors on stderr, {@code edgetrain WARN: message}. */
    static ConsoleWriter cli() {
        return new ConsoleWriter(Level.WARN, "edgetrain ", System.err, System.err);
    }

    @Override
    public Level threshold() {
        return level;
    }

    @Override
    public void write(Level l, long epochMillis, String text) {
        if (l.compareTo(level) < 0) return;
        PrintStream s = l.compareTo(Level.WARN) >= 0 ? high : low;
        // one print call per line, so lines of two threads never interleave
        s.print(prefix + l.name() + ": " + text + System.lineSeparator());
        s.flush();
    }

    @Override
    public void shutdown() {
        low.flush();
        high.flush();
    }
}
