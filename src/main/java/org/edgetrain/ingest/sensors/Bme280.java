package org.edgetrain.ingest.sensors;

import java.io.IOException;
import com.pi4j.io.i2c.I2C;
import org.edgetrain.ingest.Source;

/**
 * Bosch BME280 temperature, humidity and pressure sensor on I2C (address 0x76, or 0x77 with SDO high). Three channels:
 * {@code temperature} in °C, {@code humidity} in %RH, {@code pressure} in hPa.
 *
 * <p>From the datasheet (BST-BME280-DS002): chip id (0xD0) is 0x60; the trimming parameters are in 0x88..0xA1 and
 * 0xE1..0xE7 (table 16); ctrl_hum (0xF2) must be written before ctrl_meas (0xF4) for it to take effect; the raw
 * readings are the 8 bytes from 0xF7 (press_msb .. hum_lsb), burst-read so they come from one measurement. The
 * compensation is Bosch's own integer code (section 4.2.3): 32-bit for temperature and humidity, 64-bit for pressure.
 * The sensor runs in normal mode with ×1 oversampling, no IIR filter and 0.5 ms standby, so each read returns the
 * latest measurement without waiting. A skipped measurement (raw 0x80000 / 0x8000) is reported as NaN.
 */
public final class Bme280 implements Source {
    public static final int REG_CALIB_00 = 0x88;
    public static final int REG_CHIP_ID = 0xD0;
    public static final int REG_CALIB_26 = 0xE1;
    public static final int REG_CTRL_HUM = 0xF2;
    public static final int REG_CTRL_MEAS = 0xF4;
    public static final int REG_CONFIG = 0xF5;
    public static final int REG_PRESS_MSB = 0xF7;
    public static final int CHIP_ID = 0x60;
    /** ctrl_hum: osrs_h = ×1. */
    public static final int CTRL_HUM = 0x01;
    /** ctrl_meas: osrs_t = ×1 (bits 7:5), osrs_p = ×1 (bits 4:2), mode = normal (11). */
    public static final int CTRL_MEAS = 0b001_001_11;
    /** config: t_sb = 0.5 ms, filter off, no 3-wire SPI. */
    public static final int CONFIG = 0x00;

    private final I2C dev;
    private final String name;
    private final byte[] buf = new byte[26];
    // trimming parameters, names as in the datasheet
    private int digT1, digT2, digT3;
    private long digP1, digP2, digP3, digP4, digP5, digP6, digP7, digP8, digP9;
    private int digH1, digH2, digH3, digH4, digH5, digH6;
    private int tFine;

    public Bme280(I2C dev, String name) {
        this.dev = dev;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public String[] channelNames() {
        return new String[] {"temperature", "humidity", "pressure"};
    }

    /** Checks the chip id, reads the trimming parameters and starts normal mode. */
    @Override
    public void open() throws IOException {
        int id = Registers.readByte(dev, name, REG_CHIP_ID, buf);
        if (id != CHIP_ID) {
            String hint = id == 0x58 ? " (0x58 is a BMP280: no humidity)" : "";
            throw new IOException(name + ": chip id (0xD0) reads 0x" + Registers.hex(id) + ", expected 0x60: not a BME280" + hint);
        }
        Registers.read(dev, name, REG_CALIB_00, buf, 26);
        digT1 = Registers.u16le(buf, 0);
        digT2 = Registers.s16le(buf, 2);
        digT3 = Registers.s16le(buf, 4);
        digP1 = Registers.u16le(buf, 6);
        digP2 = Registers.s16le(buf, 8);
        digP3 = Registers.s16le(buf, 10);
        digP4 = Registers.s16le(buf, 12);
        digP5 = Registers.s16le(buf, 14);
        digP6 = Registers.s16le(buf, 16);
        digP7 = Registers.s16le(buf, 18);
        digP8 = Registers.s16le(buf, 20);
        digP9 = Registers.s16le(buf, 22);
        digH1 = buf[25] & 0xFF; // 0xA1 (0xA0 is unused)
        Registers.read(dev, name, REG_CALIB_26, buf, 7);
        digH2 = Registers.s16le(buf, 0); // 0xE1/0xE2
        digH3 = buf[2] & 0xFF; // 0xE3
        digH4 = buf[3] << 4 | (buf[4] & 0x0F); // 0xE4 (signed) [11:4], 0xE5 [3:0]
        digH5 = buf[5] << 4 | (buf[4] & 0xFF) >> 4; // 0xE6 (signed) [11:4], 0xE5 [7:4]
        digH6 = buf[6]; // 0xE7, signed
        Registers.write(dev, name, REG_CTRL_HUM, CTRL_HUM);
        Registers.write(dev, name, REG_CONFIG, CONFIG);
        Registers.write(dev, name, REG_CTRL_MEAS, CTRL_MEAS);
    }

    @Override
    public long read(float[] v, int off) throws IOException {
        Registers.read(dev, name, REG_PRESS_MSB, buf, 8);
        long ts = System.nanoTime();
        int adcP = (buf[0] & 0xFF) << 12 | (buf[1] & 0xFF) << 4 | (buf[2] & 0xFF) >> 4;
        int adcT = (buf[3] & 0xFF) << 12 | (buf[4] & 0xFF) << 4 | (buf[5] & 0xFF) >> 4;
        int adcH = (buf[6] & 0xFF) << 8 | (buf[7] & 0xFF);
        if (adcT == 0x80000) { // temperature skipped: t_fine unknown, so nothing can be compensated
            v[off] = v[off + 1] = v[off + 2] = Float.NaN;
            return ts;
        }
        v[off] = compensateT(adcT) / 100f;
        v[off + 1] = adcH == 0x8000 ? Float.NaN : compensateH(adcH) / 1024f;
        v[off + 2] = adcP == 0x80000 ? Float.NaN : (float) (compensateP(adcP) / 256.0 / 100.0);
        return ts;
    }

    /** Bosch's BME280_compensate_T_int32: °C × 100; sets t_fine for the other two. */
    int compensateT(int adcT) {
        int var1 = (((adcT >> 3) - (digT1 << 1)) * digT2) >> 11;
        int var2 = (((((adcT >> 4) - digT1) * ((adcT >> 4) - digT1)) >> 12) * digT3) >> 14;
        tFine = var1 + var2;
        return (tFine * 5 + 128) >> 8;
    }

    /** Bosch's BME280_compensate_P_int64: Pa in Q24.8 (divide by 256), 0 if the calibration would divide by 0. */
    long compensateP(int adcP) {
        long var1 = (long) tFine - 128000;
        long var2 = var1 * var1 * digP6;
        var2 = var2 + ((var1 * digP5) << 17);
        var2 = var2 + (digP4 << 35);
        var1 = ((var1 * var1 * digP3) >> 8) + ((var1 * digP2) << 12);
        var1 = (((1L << 47) + var1) * digP1) >> 33;
        if (var1 == 0) return 0; // avoid a division by zero
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (digP9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (digP8 * p) >> 19;
        return ((p + var1 + var2) >> 8) + (digP7 << 4);
    }

    /** Bosch's bme280_compensate_H_int32: %RH in Q22.10 (divide by 1024). */
    int compensateH(int adcH) {
        int x = tFine - 76800;
        x = ((((adcH << 14) - (digH4 << 20) - (digH5 * x)) + 16384) >> 15)
                * (((((((x * digH6) >> 10) * (((x * digH3) >> 11) + 32768)) >> 10) + 2097152) * digH2 + 8192) >> 14);
        x = x - (((((x >> 15) * (x >> 15)) >> 7) * digH1) >> 4);
        x = x < 0 ? 0 : x;
        x = x > 419430400 ? 419430400 : x;
        return x >> 12;
    }

    @Override
    public void close() {
        Devices.closeQuietly(dev);
    }
}
