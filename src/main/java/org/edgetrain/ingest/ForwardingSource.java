package org.edgetrain.ingest;

import java.io.IOException;

/**
 * A source that wraps another and forwards every call to it; a decorator (a GPIO label channel, a trigger, the Pi4J
 * context that must close with its sensor) overrides only what it changes.
 */
public abstract class ForwardingSource implements Source {
    protected final Source inner;

    protected ForwardingSource(Source inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public int channels() {
        return inner.channels();
    }

    @Override
    public String[] channelNames() {
        return inner.channelNames();
    }

    @Override
    public void open() throws IOException {
        inner.open();
    }

    @Override
    public long read(float[] values, int offset) throws IOException {
        return inner.read(values, offset);
    }

    @Override
    public boolean waitsWhenFull() {
        return inner.waitsWhenFull();
    }

    @Override
    public boolean live() {
        return inner.live();
    }

    @Override
    public void close() {
        inner.close();
    }
}
