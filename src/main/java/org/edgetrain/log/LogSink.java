package org.edgetrain.log;

/** Where finished messages go: the console directly, or the daemon's writing thread. */
interface LogSink {
    /** The lowest level any writer behind this sink takes; lines below it are not even formatted. */
    Level threshold();

    void write(Level level, long epochMillis, String text);

    /** Writes what is pending and closes; the sink takes no lines after. */
    void shutdown();
}
