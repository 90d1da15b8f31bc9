package org.edgetrain.ingest.sensors;

import java.io.IOException;
import com.pi4j.io.gpio.digital.DigitalInput;
import org.edgetrain.ingest.ForwardingSource;
import org.edgetrain.ingest.Source;

/**
 * A GPIO input as a trigger: samples of the wrapped source are taken only while the input is active (a limit
 * switch while a machine runs, a PIR sensor, a button held during a recording); otherwise {@link Source#NO_SAMPLE}, so
 * the ring and the trainer see only the triggered stretches.
 */
public final class GpioTrigger extends ForwardingSource {
    private final DigitalInput pin;
    private final boolean activeHigh;

    public GpioTrigger(Source inner, DigitalInput pin, boolean activeHigh) {
        super(inner);
        this.pin = pin;
        this.activeHigh = activeHigh;
    }

    static boolean active(DigitalInput pin, boolean activeHigh, String name) throws IOException {
        try {
            return activeHigh ? pin.isHigh() : pin.isLow();
        } catch (RuntimeException e) {
            throw new IOException(name + ": reading GPIO failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long read(float[] v, int off) throws IOException {
        if (!active(pin, activeHigh, name())) return NO_SAMPLE;
        return inner.read(v, off);
    }
}
