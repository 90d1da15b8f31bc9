package org.edgetrain.ingest.sensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Labeling;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.sim.SimulatedSensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GpioTest {
    final MockBoard board = new MockBoard();

    @AfterEach
    void close() {
        board.close();
    }

    @Test
    void aLabelButtonAppendsOneWhileHeld() throws IOException {
        MockDigitalInput button = board.input(17);
        GpioLabel src = new GpioLabel(new SimulatedSensor(2, 1, 0, 0.05, 100), button, false); // to ground: active low
        assertEquals(3, src.channels());
        assertArrayEquals(new String[] {"ch0", "ch1", "label"}, src.channelNames());
        float[] v = new float[3];
        button.mockState(DigitalState.HIGH); // pulled up: not pressed
        src.read(v, 0);
        assertEquals(0f, v[2]);
        button.mockState(DigitalState.LOW); // pressed
        src.read(v, 0);
        assertEquals(1f, v[2]);
    }

    @Test
    void aTriggerPassesSamplesOnlyWhileActive() throws IOException {
        MockDigitalInput pin = board.input(27);
        SimulatedSensor sim = new SimulatedSensor(1, 1, 0, 0.05, 100);
        GpioTrigger src = new GpioTrigger(sim, pin, true);
        float[] v = new float[1];
        pin.mockState(DigitalState.LOW);
        assertEquals(Source.NO_SAMPLE, src.read(v, 0));
        assertEquals(0, sim.samples()); // not even read
        pin.mockState(DigitalState.HIGH);
        assertTrue(src.read(v, 0) >= 0);
        assertEquals(1, sim.samples());
    }

    @Test
    void theButtonLabelsTheWindowsItWasHeldFor() {
        MockDigitalInput button = board.input(22);
        GpioLabel src = new GpioLabel(new SimulatedSensor(2, 1, 0, 0.05, 100), button, true);
        IngestPipeline.Settings s = IngestPipeline.Settings.defaults(Labeling.gpio(2)).withStandardize(IngestPipeline.Standardize.OFF, 0).withWindow(4, 4);
        IngestPipeline p = new IngestPipeline(src, s, new SourceStats());
        assertEquals(8, p.inputWidth()); // the label is not an input
        float[] x = new float[8];
        float[] y = new float[1];
        float[] labels = new float[6];
        for (int w = 0; w < 6; w++) {
            button.mockState(w % 3 == 1 ? DigitalState.HIGH : DigitalState.LOW);
            p.pump(4);
            assertEquals(1, p.nextBatch(x, y, 1));
            labels[w] = y[0];
        }
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0}, labels);
    }
}
