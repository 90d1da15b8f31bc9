package org.edgetrain.ingest.sensors;

import static org.edgetrain.ingest.sensors.MockBoard.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import org.edgetrain.ingest.RingBuffer;
import org.edgetrain.ingest.SourceRunner;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Mpu6050Test {
    final MockBoard board = new MockBoard();

    @AfterEach
    void close() {
        board.close();
    }

    // one burst from ACCEL_XOUT_H (0x3B): ax ay az temp gx gy gz, big-endian signed
    static final byte[] BURST = bytes(
            0x40, 0x00, // ax = 16384
            0xE0, 0x00, // ay = -8192
            0xC0, 0x00, // az = -16384
            0xFA, 0xB0, // temp = -1360
            0x00, 0x83, // gx = 131
            0xFE, 0xFA, // gy = -262
            0x7F, 0xFF); // gz = 32767

    @Test
    void wakesTheChipSetsTheRangesAndScalesToGAndDegreesPerSecond() throws IOException {
        MockI2C dev = board.i2c(1, 0x68);
        dev.writeRegister(0x75, (byte) 0x68);
        Mpu6050 mpu = new Mpu6050(dev, "mpu", 2, 250);
        mpu.open();
        assertEquals(0x01, dev.readRegister(0x6B)); // awake (SLEEP = 0), PLL with the X gyro
        assertEquals(0x00, dev.readRegister(0x1B)); // FS_SEL 0: ±250 °/s
        assertEquals(0x00, dev.readRegister(0x1C)); // AFS_SEL 0: ±2 g
        dev.writeRegister(0x3B, BURST, 0, 14);
        float[] v = new float[7];
        mpu.read(v, 0);
        // ±2 g: 16384 LSB/g; ±250 °/s: 131 LSB/(°/s); temperature: raw / 340 + 36.53 (register map 4.18)
        assertArrayEquals(new float[] {1f, -0.5f, -1f, 1f, -2f, 32767 / 131f, -1360 / 340f + 36.53f}, v, 1e-5f);
        assertEquals(32.53f, v[6], 1e-4f);
        assertEquals(250.13f, v[5], 1e-2f);
    }

    @Test
    void widerRangesUseTheirSensitivities() throws IOException {
        MockI2C dev = board.i2c(1, 0x69);
        dev.writeRegister(0x75, (byte) 0x68); // WHO_AM_I is 0x68 at address 0x69 too
        Mpu6050 mpu = new Mpu6050(dev, "mpu", 8, 2000);
        mpu.open();
        dev.readRegister(0x6B);
        assertEquals(0x18, dev.readRegister(0x1B)); // FS_SEL 3 in bits 4:3
        assertEquals(0x10, dev.readRegister(0x1C)); // AFS_SEL 2
        dev.writeRegister(0x3B, BURST, 0, 14);
        float[] v = new float[7];
        mpu.read(v, 0);
        assertEquals(4f, v[0], 1e-6f); // 16384 / 4096 LSB/g
        assertEquals(-2f, v[1], 1e-6f);
        assertEquals(131 / 16.4f, v[3], 1e-5f); // 16.4 LSB/(°/s)
        assertEquals(-262 / 16.4f, v[4], 1e-5f);
    }

    @Test
    void aWrongChipIdIsRefused() {
        MockI2C dev = board.i2c(1, 0x68);
        dev.writeRegister(0x75, (byte) 0x70); // an MPU-6500 answers 0x70
        IOException e = assertThrows(IOException.class, () -> new Mpu6050(dev, "mpu@1:0x68", 2, 250).open());
        assertEquals("mpu@1:0x68: WHO_AM_I (0x75) reads 0x70, expected 0x68: not an MPU-6050", e.getMessage());
    }

    @Test
    void aShortReadIsAnIoError() throws IOException {
        MockI2C dev = board.i2c(1, 0x68);
        dev.writeRegister(0x75, (byte) 0x68);
        Mpu6050 mpu = new Mpu6050(dev, "mpu", 2, 250);
        mpu.open();
        dev.writeRegister(0x3B, BURST, 0, 6); // half a burst
        IOException e = assertThrows(IOException.class, () -> mpu.read(new float[7], 0));
        assertTrue(e.getMessage().contains("register 0x3b gave 6 of 14 bytes"), e.getMessage());
        assertThrows(IOException.class, () -> mpu.read(new float[7], 0)); // nothing at all
    }

    @Test
    void aSensorThatStopsAnsweringIsRetriedThenReportedAndReprobed() {
        MockI2C dev = board.i2c(1, 0x68);
        dev.writeRegister(0x75, (byte) 0x68);
        dev.writeRegister(0x3B, BURST, 0, 14);
        SourceRunner r = new SourceRunner(new Mpu6050(dev, "mpu", 2, 250), new RingBuffer(8, 7), new SourceStats(), 0,
                new SourceRunner.Policy(2, 1_000, 2_000, 10_000));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (r.stats().get(Counter.REPROBES) < 2 && System.nanoTime() < deadline) r.doWork();
        assertEquals(1, r.stats().get(Counter.SAMPLES));
        assertEquals(3, r.stats().get(Counter.READ_ERRORS)); // the first try and two retries
        assertEquals(1, r.stats().get(Counter.DISCONNECTS));
        assertTrue(r.gone());
        dev.writeRegister(0x75, (byte) 0x68); // back: the re-probe reads WHO_AM_I and wakes it again
        dev.writeRegister(0x3B, BURST, 0, 14);
        while (r.stats().get(Counter.SAMPLES) < 2 && System.nanoTime() < deadline) r.doWork();
        assertEquals(2, r.stats().get(Counter.SAMPLES));
    }
}
