package org.edgetrain.log;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The static facade every class logs through: {@code Log.info("step={} loss={}", step, loss)}. The level check comes
 * first, so a disabled level costs a comparison and formats nothing. Without setup it writes warnings and errors to
 * stderr ({@code edgetrain WARN: ...}), the CLI's default; the daemon installs its file and console through
 * {@link #install}. Nothing on this path uses lambdas, regex, {@code String.format}, java.time or ServiceLoader: each
 * loads dozens of JDK classes into a daemon whose resident memory grows with every class.
 */
public final class Log {
    private static final ConsoleWriter CLI = ConsoleWriter.cli();
    private static volatile LogSink sink = CLI;
    /** Ordinal of the lowest level written; lines below it return at once. */
    private static volatile int threshold = CLI.threshold().ordinal();

    private Log() {
    }

    public static void error(String message, Object... args) {
        log(Level.ERROR, null, message, args);
    }

    public static void error(Throwable t, String message, Object... args) {
        log(Level.ERROR, t, message, args);
    }

    public static void warn(String message, Object... args) {
        log(Level.WARN, null, message, args);
    }

    public static void warn(Throwable t, String message, Object... args) {
        log(Level.WARN, t, message, args);
    }

    public static void info(String message, Object... args) {
        log(Level.INFO, null, message, args);
    }

    public static void debug(String message, Object... args) {
        log(Level.DEBUG, null, message, args);
    }

    public static void trace(String message, Object... args) {
        log(Level.TRACE, null, message, args);
    }

    public static boolean enabled(Level level) {
        return level.ordinal() >= threshold;
    }

    /** Writes a line at {@code level}: the message with its {@code {}} filled, then the throwable's stack trace if any. */
    public static void log(Level level, Throwable t, String message, Object[] args) {
        if (level.ordinal() < threshold) return;
        String text = Placeholders.fill(message, args);
        if (t != null) text = text + ": " + stackTrace(t);
        sink.write(level, System.currentTimeMillis(), text);
    }

    /** Silences everything until the next {@link #install} or {@link #reset} (the fuzzer's millions of warnings). */
    public static void off() {
        install(ConsoleWriter.daemon(Level.OFF));
    }

    /** Back to the CLI default, shutting down what was installed (its pending lines are written first). */
    public static void reset() {
        install(CLI);
    }

    /** Replaces the sink; the previous one is shut down after lines stop going to it. */
    static void install(LogSink next) {
        LogSink previous;
        synchronized (Log.class) {
            previous = sink;
            sink = next;
            threshold = next.threshold().ordinal();
        }
        if (previous != next) previous.shutdown();
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        int end = w.getBuffer().length();
        while (end > 0 && (w.getBuffer().charAt(end - 1) == '\n' || w.getBuffer().charAt(end - 1) == '\r')) end--;
        return w.getBuffer().substring(0, end);
    }
}
