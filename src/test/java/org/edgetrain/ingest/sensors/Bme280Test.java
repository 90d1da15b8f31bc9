package org.edgetrain.ingest.sensors;

import static org.edgetrain.ingest.sensors.MockBoard.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The expected temperature and pressure are Bosch's worked example (BMP280 datasheet BST-BMP280-DS001, section 3.12,
 * the same compensation as the BME280): dig_T1..T3 = 27504, 26435, -1000; dig_P1..P9 = 36477, -10685, 3024, 2855,
 * 140, -7, 15500, -14600, 6000; adc_T = 519888 gives t_fine = 128422 and T = 25.08 °C; adc_P = 415148 gives
 * p = 100653.27 Pa. Humidity has no worked example: it is checked against the datasheet's floating-point formula
 * (BME280 datasheet section 8.1), written out below independently of the driver's integer code.
 */
class Bme280Test {
    final MockBoard board = new MockBoard();

    @AfterEach
    void close() {
        board.close();
    }

    // 0x88..0xA1, little-endian; negative values arrive as signed bytes
    static final byte[] CALIB_00 = bytes(
            0x70, 0x6B, // dig_T1 = 27504
            0x43, 0x67, // dig_T2 = 26435
            0x18, 0xFC, // dig_T3 = -1000
            0x7D, 0x8E, // dig_P1 = 36477
            0x43, 0xD6, // dig_P2 = -10685
            0xD0, 0x0B, // dig_P3 = 3024
            0x27, 0x0B, // dig_P4 = 2855
            0x8C, 0x00, // dig_P5 = 140
            0xF9, 0xFF, // dig_P6 = -7
            0x8C, 0x3C, // dig_P7 = 15500
            0xF8, 0xC6, // dig_P8 = -14600
            0x70, 0x17, // dig_P9 = 6000
            0x00, // 0xA0: unused
            0x4B); // 0xA1: dig_H1 = 75
    // 0xE1..0xE7
    static final byte[] CALIB_26 = bytes(
            0x6A, 0x01, // dig_H2 = 362
            0x00, // dig_H3 = 0
            0x13, 0x29, 0x03, // dig_H4 = 0x13 << 4 | 0x9 = 313; dig_H5 = 0x03 << 4 | 0x2 = 50
            0xE2); // dig_H6 = -30
    static final int H1 = 75, H2 = 362, H3 = 0, H4 = 313, H5 = 50, H6 = -30;
    // 0xF7..0xFE: press msb lsb xlsb, temp msb lsb xlsb, hum msb lsb
    static final byte[] DATA = bytes(0x65, 0x5A, 0xC0, 0x7E, 0xED, 0x00, 0x75, 0x30); // adc_P 415148, adc_T 519888, adc_H 30000

    private Bme280 opened(MockI2C dev) throws IOException {
        dev.writeRegister(0xD0, (byte) 0x60);
        dev.writeRegister(0x88, CALIB_00, 0, CALIB_00.length);
        dev.writeRegister(0xE1, CALIB_26, 0, CALIB_26.length);
        Bme280 bme = new Bme280(dev, "bme");
        bme.open();
        return bme;
    }

    @Test
    void compensatesBoschsWorkedExample() throws IOException {
        MockI2C dev = board.i2c(1, 0x76);
        Bme280 bme = opened(dev);
        assertEquals(0x01, dev.readRegister(0xF2)); // ctrl_hum: humidity ×1, written before ctrl_meas
        assertEquals(0x27, dev.readRegister(0xF4)); // ctrl_meas: temperature ×1, pressure ×1, normal mode
        assertEquals(0x00, dev.readRegister(0xF5)); // config: 0.5 ms standby, no filter
        dev.writeRegister(0xF7, DATA, 0, DATA.length);
        float[] v = new float[3];
        bme.read(v, 0);
        assertEquals(25.08f, v[0], 1e-5f);
        assertEquals(1006.5327f, v[2], 0.005f); // hPa
        // the datasheet's double-precision humidity formula with t_fine = 128422
        double tFine = 128422;
        double h = tFine - 76800.0;
        h = (30000 - (H4 * 64.0 + H5 / 16384.0 * h)) * (H2 / 65536.0 * (1.0 + H6 / 67108864.0 * h * (1.0 + H3 / 67108864.0 * h)));
        h = h * (1.0 - H1 * h / 524288.0);
        h = Math.max(0, Math.min(100, h));
        assertTrue(h > 20 && h < 80, "a plausible humidity: " + h);
        assertEquals(h, v[1], 0.01); // the integer code agrees with the float formula within 1/1024 %RH rounding
    }

    @Test
    void skippedMeasurementsAreNan() throws IOException {
        MockI2C dev = board.i2c(1, 0x77);
        Bme280 bme = opened(dev);
        dev.writeRegister(0xF7, bytes(0x80, 0x00, 0x00, 0x7E, 0xED, 0x00, 0x80, 0x00), 0, 8); // pressure and humidity skipped
        float[] v = new float[3];
        bme.read(v, 0);
        assertEquals(25.08f, v[0], 1e-5f);
        assertTrue(Float.isNaN(v[1]) && Float.isNaN(v[2]));
        dev.writeRegister(0xF7, bytes(0x65, 0x5A, 0xC0, 0x80, 0x00, 0x00, 0x75, 0x30), 0, 8); // temperature skipped
        bme.read(v, 0);
        assertTrue(Float.isNaN(v[0]) && Float.isNaN(v[1]) && Float.isNaN(v[2]));
    }

    @Test
    void aWrongChipIdIsRefusedAndABmp280Named() {
        MockI2C dev = board.i2c(1, 0x76);
        dev.writeRegister(0xD0, (byte) 0x58);
        IOException e = assertThrows(IOException.class, () -> new Bme280(dev, "bme").open());
        assertEquals("bme: chip id (0xD0) reads 0x58, expected 0x60: not a BME280 (0x58 is a BMP280: no humidity)", e.getMessage());
    }

    @Test
    void aMissingCalibrationOrDataIsAnIoError() throws IOException {
        MockI2C dev = board.i2c(1, 0x76);
        dev.writeRegister(0xD0, (byte) 0x60);
        dev.writeRegister(0x88, CALIB_00, 0, 20); // cut short
        IOException e = assertThrows(IOException.class, () -> new Bme280(dev, "bme").open());
        assertTrue(e.getMessage().contains("register 0x88 gave 20 of 26 bytes"), e.getMessage());
        MockI2C dev2 = board.i2c(1, 0x77);
        Bme280 bme = opened(dev2);
        assertThrows(IOException.class, () -> bme.read(new float[3], 0));
    }
}
