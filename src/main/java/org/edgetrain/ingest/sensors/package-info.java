/**
 * Pi4J 2 drivers for sensors on a Raspberry Pi's buses: {@link org.edgetrain.ingest.sensors.Mpu6050} (I2C
 * accelerometer and gyroscope), {@link org.edgetrain.ingest.sensors.Bme280} (I2C temperature, humidity, pressure),
 * {@link org.edgetrain.ingest.sensors.Ads1115} (I2C 16-bit ADC), {@link org.edgetrain.ingest.sensors.Mcp3008} (SPI
 * 10-bit ADC), and a GPIO input as a label ({@link org.edgetrain.ingest.sensors.GpioLabel}) or a trigger ({@link
 * org.edgetrain.ingest.sensors.GpioTrigger}).
 *
 * <p>Register maps and formulas come from the datasheets and are cited beside the code. The drivers take an opened
 * Pi4J device, so tests hand them pi4j-plugin-mock devices; {@code org.edgetrain.connect.Hardware} opens the
 * real ones (linuxfs-i2c, linuxfs-spi, gpiod) and is the only class that creates a Pi4J context, only when a hardware
 * source is configured.
 */
package org.edgetrain.ingest.sensors;
