package org.edgetrain.ingest.sensors;

import java.io.IOException;
import com.pi4j.io.gpio.digital.DigitalInput;
import org.edgetrain.ingest.ForwardingSource;
import org.edgetrain.ingest.Source;

/**
 * A GPIO input as a label: wraps a source and appends one channel, 1 while the input is active (the user holds a
 * button while the event happens: a door opens, a machine jams) and 0 otherwise. The pipeline then uses that channel
 * as the target ({@code label.mode = gpio}). A button wired to ground with the internal pull-up is active low.
 */
public final class GpioLabel extends ForwardingSource {
    private final DigitalInput pin;
    private final boolean activeHigh;

    public GpioLabel(Source inner, DigitalInput pin, boolean activeHigh) {
        super(inner);
        this.pin = pin;
        this.activeHigh = activeHigh;
    }

    @Override
    public int channels() {
        return inner.channels() + 1;
    }

    @Override
    public String[] channelNames() {
        String[] in = inner.channelNames();
        String[] out = java.util.Arrays.copyOf(in, in.length + 1);
        out[in.length] = "label";
        return out;
    }

    @Override
    public long read(float[] v, int off) throws IOException {
        long ts = inner.read(v, off);
        if (ts != NO_SAMPLE && ts != END) v[off + inner.channels()] = GpioTrigger.active(pin, activeHigh, name()) ? 1f : 0f;
        return ts;
    }

}
