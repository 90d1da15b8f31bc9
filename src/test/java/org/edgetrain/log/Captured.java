package org.edgetrain.log;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps the lines, for tests: {@code LEVEL: text}. */
final class Captured implements LogSink {
    final List<String> lines = new ArrayList<>();
    private final Level level;

    Captured(Level level) {
        this.level = level;
    }

    @Override
    public Level threshold() {
        return level;
    }

    @Override
    public synchronized void write(Level l, long epochMillis, String text) {
        lines.add(l.name() + ": " + text);
    }

    @Override
    public void shutdown() {
    }
}
