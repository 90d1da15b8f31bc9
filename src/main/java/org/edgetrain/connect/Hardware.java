package org.edgetrain.connect;

import java.io.IOException;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiMode;
import org.edgetrain.BadInputException;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.ForwardingSource;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.sensors.Ads1115;
import org.edgetrain.ingest.sensors.Bme280;
import org.edgetrain.ingest.sensors.GpioLabel;
import org.edgetrain.ingest.sensors.GpioTrigger;
import org.edgetrain.ingest.sensors.Mcp3008;
import org.edgetrain.ingest.sensors.Mpu6050;

/**
 * Opens the hardware a config describes: the only place a Pi4J {@link Context} is created, and only when a hardware
 * source is configured (the simulated sensor, CSV and stdin never load a Pi4J class, which keeps the demo and the
 * daemon small). Providers: {@code linuxfs-i2c} ({@code /dev/i2c-N}), {@code linuxfs-spi} ({@code /dev/spidevB.C})
 * and {@code gpiod-digital-input} (the GPIO character device), found by Pi4J's ServiceLoader.
 */
public final class Hardware {
    static final String I2C_PROVIDER = "linuxfs-i2c";
    static final String SPI_PROVIDER = "linuxfs-spi";
    static final String GPIO_PROVIDER = "gpiod-digital-input";

    private Hardware() {
    }

    /** The source {@code cfg} describes, with its GPIO label or trigger; closing it shuts the Pi4J context down. */
    public static Source open(SourceConfig cfg) {
        Context ctx = Pi4J.newContextBuilder().autoDetect().build();
        try {
            Source s = driver(ctx, cfg);
            if (cfg.triggerPin() >= 0) s = new GpioTrigger(s, input(ctx, "trigger", cfg.triggerPin(), cfg.triggerActiveHigh()), cfg.triggerActiveHigh());
            if (cfg.labelPin() >= 0) s = new GpioLabel(s, input(ctx, "label", cfg.labelPin(), cfg.labelActiveHigh()), cfg.labelActiveHigh());
            return new WithContext(s, ctx);
        } catch (RuntimeException e) {
            ctx.shutdown();
            // the bus or GPIO chip itself is missing (not a sensor that does not answer: that one is re-probed)
            String bus = cfg.type() == SourceConfig.Type.MCP3008 ? "SPI (dtparam=spi=on, /dev/spidev" + cfg.bus() + "." + cfg.chipSelect() + ")"
                    : "I2C (dtparam=i2c_arm=on, /dev/i2c-" + cfg.bus() + ")";
            throw new BadInputException(cfg.source() + ": source.type = " + cfg.type().word() + ": cannot open the device: " + String.valueOf(e.getMessage()).replaceAll("\\.$", "")
                    + "; is " + bus + " enabled and are you in the i2c/spi/gpio groups? (README: Sensor ingest)", e);
        }
    }

    private static Source driver(Context ctx, SourceConfig cfg) {
        String at = cfg.type().word() + "@" + cfg.bus() + ":0x" + Integer.toHexString(cfg.address());
        return switch (cfg.type()) {
            case MPU6050 -> new Mpu6050(i2c(ctx, cfg), at, cfg.accelRange(), cfg.gyroRange());
            case BME280 -> new Bme280(i2c(ctx, cfg), at);
            case ADS1115 -> new Ads1115(i2c(ctx, cfg), at, cfg.inputs(), cfg.differential(), cfg.gain(), cfg.dataRate(), cfg.continuous());
            case MCP3008 -> new Mcp3008(spi(ctx, cfg), "mcp3008@spi" + cfg.bus() + "." + cfg.chipSelect(), cfg.inputs(), cfg.differential(), cfg.vref());
            default -> throw new IllegalArgumentException(cfg.type() + " is not a hardware source");
        };
    }

    private static I2C i2c(Context ctx, SourceConfig cfg) {
        return ctx.create(I2C.newConfigBuilder(ctx).id("edgetrain-i2c-" + cfg.bus() + "-" + cfg.address()).bus(cfg.bus())
                .device(cfg.address()).provider(I2C_PROVIDER).build());
    }

    private static Spi spi(Context ctx, SourceConfig cfg) {
        // MCP3008: SPI mode 0 (or 3), at most 3.6 MHz at 5 V and 1.35 MHz at 2.7 V (datasheet 1.0)
        return ctx.create(Spi.newConfigBuilder(ctx).id("edgetrain-spi-" + cfg.bus() + "-" + cfg.chipSelect()).bus(SpiBus.getByNumber(cfg.bus()))
                .chipSelect(SpiChipSelect.getByNumber(cfg.chipSelect())).channel(cfg.chipSelect()).mode(SpiMode.MODE_0).baud(cfg.baud())
                .provider(SPI_PROVIDER).build());
    }

    private static DigitalInput input(Context ctx, String what, int pin, boolean activeHigh) {
        // an active-low button is wired to ground and needs the pull-up; an active-high one to 3.3 V with the pull-down
        return ctx.create(DigitalInput.newConfigBuilder(ctx).id("edgetrain-" + what + "-" + pin).address(pin)
                .pull(activeHigh ? PullResistance.PULL_DOWN : PullResistance.PULL_UP).provider(GPIO_PROVIDER).build());
    }

    /** A hardware source that owns its Pi4J context. */
    private static final class WithContext extends ForwardingSource {
        private final Context ctx;

        WithContext(Source inner, Context ctx) {
            super(inner);
            this.ctx = ctx;
        }

        @Override
        public void close() {
            inner.close();
            try {
                ctx.shutdown();
            } catch (RuntimeException e) {
                // shutting down: nothing left to save
            }
        }
    }
}
