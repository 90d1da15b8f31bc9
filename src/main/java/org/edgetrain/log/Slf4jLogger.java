package org.edgetrain.log;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * An SLF4J logger writing into {@link Log} (Pi4J logs through SLF4J). Each logger has a floor of its own on top of
 * Log's levels: Pi4J's at WARN, its board detection off (it reports a failed detection off a Pi as errors, nothing
 * for a user to act on).
 */
final class Slf4jLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final org.edgetrain.log.Level floor;

    Slf4jLogger(String name) {
        this.name = name;
        this.floor = floor(name);
    }

    static org.edgetrain.log.Level floor(String name) {
        if (name.startsWith("com.pi4j.boardinfo")) return org.edgetrain.log.Level.OFF;
        if (name.startsWith("com.pi4j")) return org.edgetrain.log.Level.WARN;
        return org.edgetrain.log.Level.TRACE;
    }

    private boolean on(org.edgetrain.log.Level l) {
        return l.compareTo(floor) >= 0 && Log.enabled(l);
    }

    @Override
    public boolean isTraceEnabled() {
        return on(org.edgetrain.log.Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return on(org.edgetrain.log.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return on(org.edgetrain.log.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return on(org.edgetrain.log.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return on(org.edgetrain.log.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        org.edgetrain.log.Level l = switch (level) {
            case ERROR -> org.edgetrain.log.Level.ERROR;
            case WARN -> org.edgetrain.log.Level.WARN;
            case INFO -> org.edgetrain.log.Level.INFO;
            case DEBUG -> org.edgetrain.log.Level.DEBUG;
            case TRACE -> org.edgetrain.log.Level.TRACE;
        };
        if (on(l)) Log.log(l, throwable, name + ": " + messagePattern, arguments);
    }
}
