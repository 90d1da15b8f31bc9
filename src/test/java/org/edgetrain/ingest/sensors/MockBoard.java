package org.edgetrain.ingest.sensors;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.spi.Spi;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;

/**
 * A Pi4J context on pi4j-plugin-mock: I2C devices whose registers are FIFOs (a test writes what the chip would
 * answer, the driver's reads pop it; reads return signed bytes), an SPI device that answers with prepared bytes and
 * records what was sent, and GPIO inputs whose state a test sets.
 */
final class MockBoard implements AutoCloseable {
    final Context ctx = Pi4J.newContextBuilder().add(new MockPlatform())
            .add(MockI2CProvider.newInstance(), MockSpiProvider.newInstance(), MockDigitalInputProvider.newInstance()).build();

    MockI2C i2c(int bus, int address) {
        return (MockI2C) ctx.create(I2C.newConfigBuilder(ctx).id("i2c-" + bus + "-" + address).bus(bus).device(address).build());
    }

    MockSpi spi(int channel) {
        return (MockSpi) ctx.create(Spi.newConfigBuilder(ctx).id("spi-" + channel).address(channel).baud(1_000_000).build());
    }

    MockDigitalInput input(int pin) {
        return (MockDigitalInput) ctx.create(DigitalInput.newConfigBuilder(ctx).id("gpio-" + pin).address(pin).build());
    }

    /** Bytes from ints, so tests can write 0xFC for a negative byte. */
    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Override
    public void close() {
        ctx.shutdown();
    }
}
