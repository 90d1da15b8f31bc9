package org.edgetrain.ingest.sensors;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import com.pi4j.io.i2c.I2C;
import org.edgetrain.ingest.Source;

/**
 * Texas Instruments ADS1115 16-bit ADC on I2C (address 0x48..0x4B by the ADDR pin: GND, VDD, SDA, SCL). One channel
 * in volts per configured input: single-ended AIN0..AIN3 against GND, or one of the four differential pairs.
 *
 * <p>From the datasheet (SBAS444, section 9.6): the conversion register (0x00) holds a big-endian two's-complement
 * result; the config register (0x01) is
 *
 * <pre>
 *  15  14:12  11:9  8     7:5  4:0
 *  OS  MUX    PGA   MODE  DR   comparator (00011: disabled)
 *  OS: write 1 to start a single-shot conversion; reads 1 when no conversion is running
 *  MUX: 100+n = AINn vs GND; 000 = AIN0-AIN1, 001 = AIN0-AIN3, 010 = AIN1-AIN3, 011 = AIN2-AIN3
 *  PGA: full scale ±6.144, ±4.096, ±2.048, ±1.024, ±0.512, ±0.256 V (000..101)
 *  MODE: 1 = single-shot (power-down between conversions), 0 = continuous
 *  DR: 8, 16, 32, 64, 128, 250, 475, 860 samples/s (000..111)
 * </pre>
 *
 * <p>Single-shot: for each input, write the config with OS = 1, wait one conversion time, poll OS until it reads 1,
 * read the result. The config read back must match what was written (apart from OS): a quick check that an ADS1115,
 * and not some other chip, answers at the address. Continuous mode converts one input all the time; a read takes the
 * latest result.
 */
public final class Ads1115 implements Source {
    public static final int REG_CONVERSION = 0x00;
    public static final int REG_CONFIG = 0x01;
    /** Full-scale ranges in volts, indexed by PGA. */
    public static final double[] FULL_SCALE_V = {6.144, 4.096, 2.048, 1.024, 0.512, 0.256};
    /** Data rates in samples per second, indexed by DR. */
    public static final int[] DATA_RATES = {8, 16, 32, 64, 128, 250, 475, 860};
    private static final int OS = 0x8000;
    private static final int COMPARATOR_OFF = 0x0003;
    private static final int MAX_POLLS = 20;

    private final I2C dev;
    private final String name;
    private final int[] inputs;
    private final boolean differential;
    private final boolean continuous;
    private final int[] config; // per input, without OS
    private final double voltsPerLsb;
    private final long conversionNanos;
    private final byte[] buf = new byte[2];
    private final byte[] word = new byte[2];

    /**
     * A driver for an opened I2C device.
     *
     * @param inputs single-ended: AIN numbers 0..3; differential: pair numbers 0..3 (AIN0-AIN1, AIN0-AIN3,
     *     AIN1-AIN3, AIN2-AIN3)
     * @param fullScaleVolts one of {@link #FULL_SCALE_V}
     * @param dataRate one of {@link #DATA_RATES}
     * @param continuous continuous conversion of a single input instead of single-shot
     */
    public Ads1115(I2C dev, String name, int[] inputs, boolean differential, double fullScaleVolts, int dataRate, boolean continuous) {
        if (inputs.length < 1 || inputs.length > 4) throw new IllegalArgumentException("1 to 4 inputs, found " + inputs.length);
        if (continuous && inputs.length != 1) throw new IllegalArgumentException("continuous mode converts exactly one input");
        int pga = -1;
        for (int i = 0; i < FULL_SCALE_V.length; i++) if (FULL_SCALE_V[i] == fullScaleVolts) pga = i;
        if (pga < 0) throw new IllegalArgumentException("full scale " + fullScaleVolts + " V is not one of " + java.util.Arrays.toString(FULL_SCALE_V));
        int dr = Mpu6050.indexOf(DATA_RATES, dataRate, "data rate");
        this.dev = dev;
        this.name = name;
        this.inputs = inputs.clone();
        this.differential = differential;
        this.continuous = continuous;
        this.config = new int[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            int in = inputs[k];
            if (in < 0 || in > 3) throw new IllegalArgumentException("input " + in + " is not in 0..3");
            int mux = differential ? in : 0b100 | in;
            config[k] = mux << 12 | pga << 9 | (continuous ? 0 : 1) << 8 | dr << 5 | COMPARATOR_OFF;
        }
        this.voltsPerLsb = fullScaleVolts / 32768.0;
        this.conversionNanos = 1_000_000_000L / dataRate + 50_000; // one conversion and the oscillator's ±10 %
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
        String[] pairs = {"ain0-ain1", "ain0-ain3", "ain1-ain3", "ain2-ain3"};
        String[] n = new String[inputs.length];
        for (int k = 0; k < n.length; k++) n[k] = differential ? pairs[inputs[k]] : "ain" + inputs[k];
        return n;
    }

    /** The config word for input {@code k} (without OS), for tests and logs. */
    public int configWord(int k) {
        return config[k];
    }

    /** Writes the configuration and checks it reads back (in continuous mode this starts the conversions). */
    @Override
    public void open() throws IOException {
        writeConfig(config[0]);
        int back = readConfig();
        if ((back & 0x7FFF) != config[0]) {
            throw new IOException(name + ": config register reads back 0x" + String.format("%04x", back) + " after writing 0x"
                    + String.format("%04x", config[0]) + ": not an ADS1115?");
        }
    }

    @Override
    public long read(float[] v, int off) throws IOException {
        long ts = System.nanoTime();
        if (continuous) {
            v[off] = (float) (conversion() * voltsPerLsb);
            return ts;
        }
        for (int k = 0; k < inputs.length; k++) {
            writeConfig(OS | config[k]);
            LockSupport.parkNanos(conversionNanos);
            int polls = 0;
            int c;
            while (((c = readConfig()) & OS) == 0) {
                if (++polls == MAX_POLLS) throw new IOException(name + ": conversion of input " + inputs[k] + " did not finish");
                LockSupport.parkNanos(conversionNanos / 8);
            }
            if ((c & 0x7FFF) != config[k]) {
                throw new IOException(name + ": config register reads back 0x" + String.format("%04x", c) + ", expected 0x"
                        + String.format("%04x", config[k]));
            }
            v[off + k] = (float) (conversion() * voltsPerLsb);
        }
        return ts;
    }

    private void writeConfig(int c) throws IOException {
        word[0] = (byte) (c >> 8);
        word[1] = (byte) c;
        Registers.write(dev, name, REG_CONFIG, word, 2);
    }

    private int readConfig() throws IOException {
        Registers.read(dev, name, REG_CONFIG, buf, 2);
        return (buf[0] & 0xFF) << 8 | (buf[1] & 0xFF);
    }

    private int conversion() throws IOException {
        Registers.read(dev, name, REG_CONVERSION, buf, 2);
        return Registers.s16be(buf, 0);
    }

    @Override
    public void close() {
        Devices.closeQuietly(dev);
    }
}
