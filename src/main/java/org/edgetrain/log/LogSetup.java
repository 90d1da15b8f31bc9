package org.edgetrain.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.TimeZone;

/** Installs the daemon's logging: the rolling file and the console behind the writing thread. */
public final class LogSetup {
    private LogSetup() {
    }

    /**
     * Starts writing {@code <dir>/edgetrain.<count>.log} at {@code fileLevel} and the console ({@code LEVEL: message},
     * warnings and errors on stderr, the rest on stdout) at {@code console}; returns the name users open,
     * {@code <dir>/edgetrain.log}. {@link Log#reset} drains, closes and goes back to the CLI default.
     */
    public static Path daemon(Path dir, Level fileLevel, long maxBytes, int backups, Level console) throws IOException {
        RollingFile file = new RollingFile(dir, "edgetrain", maxBytes, backups);
        ConsoleWriter c = console == Level.OFF ? null : ConsoleWriter.daemon(console);
        WritingThread t = new WritingThread(file, fileLevel, c, new Timestamp(TimeZone.getDefault()), WritingThread.CAPACITY);
        t.start();
        Log.install(t);
        return file.latest();
    }
}
