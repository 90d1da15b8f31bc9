package org.edgetrain.log;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J 2's provider (named in META-INF/services), so Pi4J's log lines go into {@link Log}. SLF4J finds it only when
 * Pi4J is loaded, which happens only when a hardware source is configured.
 */
public final class Slf4jProvider implements SLF4JServiceProvider, ILoggerFactory {
    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this;
    }

    @Override
    public Logger getLogger(String name) {
        Logger l = loggers.get(name);
        if (l != null) return l;
        Logger made = new Slf4jLogger(name);
        Logger raced = loggers.putIfAbsent(name, made);
        return raced != null ? raced : made;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        markers = new BasicMarkerFactory();
        mdc = new NOPMDCAdapter();
    }
}
