package org.edgetrain.ingest.sensors;

import static org.edgetrain.ingest.sensors.MockBoard.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import com.pi4j.io.spi.Spi;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Mcp3008Test {
    final MockBoard board = new MockBoard();

    @AfterEach
    void close() {
        board.close();
    }

    @Test
    void singleEndedReadSendsStartSglAndChannelAndAssemblesTenBits() throws IOException {
        MockSpi spi = board.spi(0);
        Mcp3008 adc = new Mcp3008(spi, "mcp", new int[] {5}, false, 3.3);
        spi.write(bytes(0x00, 0x02, 0x9A), 0, 3); // what the chip answers: null bit 0, B9 B8 = 10, B7..B0 = 0x9A
        float[] v = new float[1];
        adc.read(v, 0);
        assertEquals(0x29A * 3.3 / 1024, v[0], 1e-6); // code 666: 2.146 V
        assertArrayEquals(bytes(0x01, 0xD0, 0x00), spi.readEntireMockBuffer()); // start, SGL=1 D2..D0=101, don't care
    }

    @Test
    void differentialPairsAndSeveralInputsInOrder() throws IOException {
        MockSpi spi = board.spi(1);
        Mcp3008 adc = new Mcp3008(spi, "mcp", new int[] {1, 7}, true, 5.0);
        spi.write(bytes(0xF8, 0xFB, 0xFF, 0x00, 0x00, 0x00), 0, 6); // 1023 (the top bits before the null bit are undefined), then 0
        float[] v = new float[2];
        adc.read(v, 0);
        assertEquals(1023 * 5.0 / 1024, v[0], 1e-6);
        assertEquals(0f, v[1]);
        assertArrayEquals(bytes(0x01, 0x10, 0x00, 0x01, 0x70, 0x00), spi.readEntireMockBuffer()); // SGL=0, pairs 1 and 7
    }

    @Test
    void aHighNullBitMeansNoChipAnswers() {
        MockSpi spi = board.spi(0);
        spi.write(bytes(0xFF, 0xFF, 0xFF), 0, 3); // MISO floating high
        IOException e = assertThrows(IOException.class, () -> new Mcp3008(spi, "mcp", new int[] {0}, false, 3.3).read(new float[1], 0));
        assertTrue(e.getMessage().contains("null bit"), e.getMessage());
    }

    @Test
    void aFailedTransferIsAnIoError() {
        Spi broken = (Spi) Proxy.newProxyInstance(Spi.class.getClassLoader(), new Class<?>[] {Spi.class}, (p, m, a) -> {
            if (m.getName().equals("transfer")) throw new com.pi4j.io.exception.IOException("ioctl SPI_IOC_MESSAGE failed");
            return null;
        });
        IOException e = assertThrows(IOException.class, () -> new Mcp3008(broken, "mcp", new int[] {0}, false, 3.3).read(new float[1], 0));
        assertEquals("mcp: SPI transfer failed: ioctl SPI_IOC_MESSAGE failed", e.getMessage());
    }
}
