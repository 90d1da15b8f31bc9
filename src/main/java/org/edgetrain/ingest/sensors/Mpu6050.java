package org.edgetrain.ingest.sensors;

import java.io.IOException;
import com.pi4j.io.i2c.I2C;
import org.edgetrain.ingest.Source;

/**
 * InvenSense MPU-6050 accelerometer and gyroscope on I2C (address 0x68, or 0x69 with AD0 high). Seven channels:
 * acceleration {@code ax, ay, az} in g, angular rate {@code gx, gy, gz} in °/s, and the die temperature {@code temp}
 * in °C.
 *
 * <p>From the register map (RM-MPU-6000A-00 rev 4.2): WHO_AM_I (0x75) reads 0x68 at either address; PWR_MGMT_1
 * (0x6B) wakes the chip from its power-on sleep (we also select the X gyro's PLL as clock, which the datasheet
 * recommends for stability); GYRO_CONFIG (0x1B) and ACCEL_CONFIG (0x1C) hold the full-scale ranges in bits 4:3; the
 * 14 bytes from ACCEL_XOUT_H (0x3B) are seven big-endian signed 16-bit values (accel xyz, temperature, gyro xyz),
 * read in one burst so they belong to the same sample.
 */
public final class Mpu6050 implements Source {
    public static final int REG_GYRO_CONFIG = 0x1B;
    public static final int REG_ACCEL_CONFIG = 0x1C;
    public static final int REG_ACCEL_XOUT_H = 0x3B;
    public static final int REG_PWR_MGMT_1 = 0x6B;
    public static final int REG_WHO_AM_I = 0x75;
    public static final int WHO_AM_I = 0x68;
    /** PWR_MGMT_1: SLEEP = 0, CLKSEL = 1 (PLL with the X gyro as reference). */
    public static final int PWR_WAKE_PLL_X = 0x01;
    /** Accelerometer ranges in g, indexed by AFS_SEL. */
    public static final int[] ACCEL_RANGES_G = {2, 4, 8, 16};
    /** Gyroscope ranges in °/s, indexed by FS_SEL. */
    public static final int[] GYRO_RANGES_DPS = {250, 500, 1000, 2000};
    private static final float[] GYRO_LSB_PER_DPS = {131f, 65.5f, 32.8f, 16.4f};

    private final I2C dev;
    private final String name;
    private final int afsSel;
    private final int fsSel;
    private final float lsbPerG;
    private final float lsbPerDps;
    private final byte[] buf = new byte[14];

    /**
     * A driver for an opened I2C device.
     *
     * @param accelRangeG 2, 4, 8 or 16
     * @param gyroRangeDps 250, 500, 1000 or 2000
     */
    public Mpu6050(I2C dev, String name, int accelRangeG, int gyroRangeDps) {
        this.dev = dev;
        this.name = name;
        this.afsSel = indexOf(ACCEL_RANGES_G, accelRangeG, "accelerometer range");
        this.fsSel = indexOf(GYRO_RANGES_DPS, gyroRangeDps, "gyroscope range");
        this.lsbPerG = 16384f / (1 << afsSel); // 16384, 8192, 4096, 2048 LSB/g
        this.lsbPerDps = GYRO_LSB_PER_DPS[fsSel];
    }

    static int indexOf(int[] allowed, int v, String what) {
        for (int i = 0; i < allowed.length; i++) if (allowed[i] == v) return i;
        throw new IllegalArgumentException(what + " " + v + " is not one of " + java.util.Arrays.toString(allowed));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int channels() {
        return 7;
    }

    @Override
    public String[] channelNames() {
        return new String[] {"ax", "ay", "az", "gx", "gy", "gz", "temp"};
    }

    /** Checks WHO_AM_I, wakes the chip and sets the ranges. */
    @Override
    public void open() throws IOException {
        int id = Registers.readByte(dev, name, REG_WHO_AM_I, buf);
        if (id != WHO_AM_I) {
            throw new IOException(name + ": WHO_AM_I (0x75) reads 0x" + Registers.hex(id) + ", expected 0x68: not an MPU-6050");
        }
        Registers.write(dev, name, REG_PWR_MGMT_1, PWR_WAKE_PLL_X);
        Registers.write(dev, name, REG_GYRO_CONFIG, fsSel << 3);
        Registers.write(dev, name, REG_ACCEL_CONFIG, afsSel << 3);
    }

    @Override
    public long read(float[] v, int off) throws IOException {
        Registers.read(dev, name, REG_ACCEL_XOUT_H, buf, 14);
        long ts = System.nanoTime();
        v[off] = Registers.s16be(buf, 0) / lsbPerG;
        v[off + 1] = Registers.s16be(buf, 2) / lsbPerG;
        v[off + 2] = Registers.s16be(buf, 4) / lsbPerG;
        v[off + 3] = Registers.s16be(buf, 8) / lsbPerDps;
        v[off + 4] = Registers.s16be(buf, 10) / lsbPerDps;
        v[off + 5] = Registers.s16be(buf, 12) / lsbPerDps;
        v[off + 6] = Registers.s16be(buf, 6) / 340f + 36.53f; // register map 4.18: °C = TEMP_OUT / 340 + 36.53
        return ts;
    }

    @Override
    public void close() {
        Devices.closeQuietly(dev);
    }
}
