package org.edgetrain.log;

/** Severity of a log line, lowest first; {@code OFF} is above every line and so silences a writer. */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, OFF;

    /** The level named by a config value ({@code info}, {@code warn}, ...), or null if none is. */
    public static Level named(String name) {
        for (Level l : values()) if (l.name().equalsIgnoreCase(name)) return l;
        return null;
    }
}
