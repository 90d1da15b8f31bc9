package org.edgetrain.ingest.sensors;

import java.io.IOException;
import com.pi4j.io.spi.Spi;
import org.edgetrain.ingest.Source;

/**
 * Microchip MCP3008 10-bit ADC on SPI (the Pi's SPI0 with CE0 or CE1). One channel in volts per configured input:
 * single-ended CH0..CH7, or differential pairs 0..7 (CH0+/CH1-, CH0-/CH1+, CH2+/CH3-, ..., CH6-/CH7+).
 *
 * <p>From the datasheet (DS21295, section 6.1, "using the MCP3004/3008 with MCU SPI ports"): three bytes out,
 * {@code 0x01} (start bit), {@code SGL/DIFF D2 D1 D0 0000}, {@code 0x00}; three bytes in, of which the second ends
 * with the null bit (always 0) and B9 B8, the third holds B7..B0. A 1 in the null bit means nothing drives MISO (no
 * chip, or a loose wire pulled high), and is reported as a failed read. Volts = code × Vref / 1024.
 */
public final class Mcp3008 implements Source {
    private final Spi spi;
    private final String name;
    private final int[] inputs;
    private final boolean differential;
    private final double vref;
    private final byte[] tx = new byte[3];
    private final byte[] rx = new byte[3];

    /**
     * A driver for an opened SPI device.
     *
     * @param inputs channel or pair numbers 0..7
     * @param vref the reference voltage on VREF, in volts (3.3 on most boards)
     */
    public Mcp3008(Spi spi, String name, int[] inputs, boolean differential, double vref) {
        if (inputs.length < 1 || inputs.length > 8) throw new IllegalArgumentException("1 to 8 inputs, found " + inputs.length);
        for (int in : inputs) if (in < 0 || in > 7) throw new IllegalArgumentException("input " + in + " is not in 0..7");
        if (!(vref > 0) || Double.isInfinite(vref)) throw new IllegalArgumentException("vref must be > 0, found " + vref);
        this.spi = spi;
        this.name = name;
        this.inputs = inputs.clone();
        this.differential = differential;
        this.vref = vref;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int channels() {
        return inputs.length;
    }

    @Override
    public String[] channelNames() {
        String[] n = new String[inputs.length];
        for (int k = 0; k < n.length; k++) n[k] = (differential ? "diff" : "ch") + inputs[k];
        return n;
    }

    /** The raw 10-bit code of input {@code in}. */
    int code(int in) throws IOException {
        tx[0] = 0x01;
        tx[1] = (byte) ((differential ? 0 : 0x80) | in << 4);
        tx[2] = 0x00;
        try {
            spi.transfer(tx, 0, rx, 0, 3);
        } catch (RuntimeException e) {
            throw new IOException(name + ": SPI transfer failed: " + e.getMessage(), e);
        }
        if ((rx[1] & 0x04) != 0) throw new IOException(name + ": MISO is high during the null bit: no MCP3008 answering");
        return (rx[1] & 0x03) << 8 | (rx[2] & 0xFF);
    }

    @Override
    public long read(float[] v, int off) throws IOException {
        long ts = System.nanoTime();
        for (int k = 0; k < inputs.length; k++) v[off + k] = (float) (code(inputs[k]) * vref / 1024.0);
        return ts;
    }

    @Override
    public void close() {
        Devices.closeQuietly(spi);
    }
}
