package org.edgetrain.ingest.sensors;

import static org.edgetrain.ingest.sensors.MockBoard.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ads1115Test {
    final MockBoard board = new MockBoard();

    @AfterEach
    void close() {
        board.close();
    }

    @Test
    void configWordsFollowTheDatasheetBitFields() {
        MockI2C dev = board.i2c(1, 0x48);
        // AIN1 vs GND (MUX 101), ±4.096 V (PGA 001), single-shot (MODE 1), 860 SPS (DR 111), comparator off (00011)
        assertEquals(0b0_101_001_1_111_00011, new Ads1115(dev, "ads", new int[] {1}, false, 4.096, 860, false).configWord(0));
        // pair AIN2-AIN3 (MUX 011), ±0.256 V (PGA 101), continuous (MODE 0), 8 SPS (DR 000)
        assertEquals(0b0_011_101_0_000_00011, new Ads1115(dev, "ads", new int[] {3}, true, 0.256, 8, true).configWord(0));
        // AIN0 vs GND at the power-on defaults ±2.048 V, 128 SPS
        assertEquals(0b0_100_010_1_100_00011, new Ads1115(dev, "ads", new int[] {0}, false, 2.048, 128, false).configWord(0));
    }

    @Test
    void singleShotReadsEachInputScaledToVoltsIncludingNegativeCodes() throws IOException {
        MockI2C dev = board.i2c(1, 0x48);
        Ads1115 ads = new Ads1115(dev, "ads", new int[] {0, 1}, true, 4.096, 860, false);
        ads.open();
        dev.writeRegister(0x00, bytes(0x12, 0x34, 0xFF, 0x38), 0, 4); // 4660, then -200
        float[] v = new float[2];
        ads.read(v, 0);
        assertEquals(4660 * 4.096 / 32768, v[0], 1e-6); // 0.5825 V
        assertEquals(-200 * 4.096 / 32768, v[1], 1e-6); // -0.025 V
        assertArrayEquals(new String[] {"ain0-ain1", "ain0-ain3"}, ads.channelNames());
    }

    @Test
    void pollsTheOsBitUntilTheConversionIsDone() throws IOException {
        MockI2C dev = board.i2c(1, 0x49);
        Ads1115 ads = new Ads1115(dev, "ads", new int[] {2}, false, 2.048, 860, false);
        ads.open();
        int busy = ads.configWord(0); // OS = 0: a conversion is still running
        dev.writeRegister(0x01, bytes(busy >> 8, busy, busy >> 8, busy), 0, 4);
        dev.writeRegister(0x00, bytes(0x7F, 0xFF), 0, 2);
        float[] v = new float[1];
        ads.read(v, 0);
        assertEquals(32767 * 2.048 / 32768, v[0], 1e-6);
    }

    @Test
    void aConversionThatNeverFinishesIsAnIoError() throws IOException {
        MockI2C dev = board.i2c(1, 0x4A);
        Ads1115 ads = new Ads1115(dev, "ads", new int[] {0}, false, 2.048, 860, false);
        ads.open();
        int busy = ads.configWord(0);
        for (int i = 0; i < 25; i++) dev.writeRegister(0x01, bytes(busy >> 8, busy), 0, 2);
        IOException e = assertThrows(IOException.class, () -> ads.read(new float[1], 0));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }

    @Test
    void aChipWhoseConfigDoesNotReadBackIsRefused() {
        MockI2C dev = board.i2c(1, 0x4B);
        dev.writeRegister(0x01, bytes(0x85, 0x83), 0, 2); // something else answers (here: a stale reset value)
        IOException e = assertThrows(IOException.class, () -> new Ads1115(dev, "ads", new int[] {0}, false, 4.096, 860, false).open());
        assertTrue(e.getMessage().contains("reads back 0x8583 after writing 0x"), e.getMessage());
    }

    @Test
    void continuousModeReadsTheLatestConversionAndAMissingOneIsAnIoError() throws IOException {
        MockI2C dev = board.i2c(1, 0x48);
        Ads1115 ads = new Ads1115(dev, "ads", new int[] {0}, false, 6.144, 475, true);
        ads.open();
        dev.writeRegister(0x00, bytes(0x80, 0x00), 0, 2); // -32768: negative full scale
        float[] v = new float[1];
        ads.read(v, 0);
        assertEquals(-6.144f, v[0], 1e-6f);
        IOException e = assertThrows(IOException.class, () -> ads.read(v, 0));
        assertTrue(e.getMessage().contains("register 0x00 gave 0 of 2 bytes"), e.getMessage());
    }
}
