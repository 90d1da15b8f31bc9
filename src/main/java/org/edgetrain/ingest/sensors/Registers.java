package org.edgetrain.ingest.sensors;

import java.io.IOException;
import com.pi4j.io.i2c.I2C;

/**
 * Register access on an I2C device with every failure as an {@link IOException} naming the device and register:
 * Pi4J reports bus errors unchecked and a short read as a count, and the drivers want one checked failure the
 * {@link org.edgetrain.ingest.SourceRunner} retries.
 */
final class Registers {
    private Registers() {
    }

    /** Reads {@code len} bytes starting at register {@code reg} (the device auto-increments the address). */
    static void read(I2C dev, String name, int reg, byte[] buf, int len) throws IOException {
        int n;
        try {
            n = dev.readRegister(reg, buf, 0, len);
        } catch (RuntimeException e) {
            throw new IOException(name + ": reading register 0x" + hex(reg) + " failed: " + e.getMessage(), e);
        }
        if (n != len) throw new IOException(name + ": reading register 0x" + hex(reg) + " gave " + Math.max(n, 0) + " of " + len + " bytes");
    }

    /** One byte of register {@code reg}, 0..255. */
    static int readByte(I2C dev, String name, int reg, byte[] scratch) throws IOException {
        read(dev, name, reg, scratch, 1);
        return scratch[0] & 0xFF;
    }

    static void write(I2C dev, String name, int reg, int value) throws IOException {
        try {
            dev.writeRegister(reg, (byte) value);
        } catch (RuntimeException e) {
            throw new IOException(name + ": writing register 0x" + hex(reg) + " failed: " + e.getMessage(), e);
        }
    }

    static void write(I2C dev, String name, int reg, byte[] data, int len) throws IOException {
        int n;
        try {
            n = dev.writeRegister(reg, data, 0, len);
        } catch (RuntimeException e) {
            throw new IOException(name + ": writing register 0x" + hex(reg) + " failed: " + e.getMessage(), e);
        }
        if (n != len) throw new IOException(name + ": writing register 0x" + hex(reg) + " wrote " + Math.max(n, 0) + " of " + len + " bytes");
    }

    /** Big-endian signed 16 bits at {@code b[i]}. */
    static int s16be(byte[] b, int i) {
        return (short) ((b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF));
    }

    /** Little-endian unsigned 16 bits at {@code b[i]}. */
    static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    /** Little-endian signed 16 bits at {@code b[i]}. */
    static int s16le(byte[] b, int i) {
        return (short) u16le(b, i);
    }

    static String hex(int v) {
        return String.format("%02x", v);
    }
}
