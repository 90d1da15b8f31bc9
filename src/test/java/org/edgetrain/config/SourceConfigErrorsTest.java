package org.edgetrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgetrain.BadInputException;
import org.edgetrain.cli.CliRunner;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Labeling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A broken [source], [preprocess] or [label] section stops {@code edgetrain ingest} with exit code 2 and one line. */
class SourceConfigErrorsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown source type     | [source]\\ntype = lidar                                   | :2: key source.type: found 'lidar'; allowed: sim, csv, stdin, mpu6050, bme280, ads1115, mcp3008, mqtt, serial
            unknown source key      | [source]\\ntype = sim\\nrate = 5                          | :3: unknown key source.rate; [source] allows:
            address out of range    | [source]\\ntype = mpu6050\\naddress = 0x70                | :3: key source.address: found '0x70'; allowed: 0x68, 0x69 (mpu6050)
            bme280 address          | [source]\\ntype = bme280\\naddress = 0x68                 | :3: key source.address: found '0x68'; allowed: 0x76, 0x77 (bme280)
            key for another type    | [source]\\ntype = sim\\ngain = 4.096                      | :3: key source.gain applies only with type = ads1115 (source.type is sim)
            ads1115 gain            | [source]\\ntype = ads1115\\ngain = 5                      | :3: key source.gain: found '5'; allowed: the full-scale range in volts: 6.144, 4.096
            ads1115 data rate       | [source]\\ntype = ads1115\\ndata_rate = 100               | :3: key source.data_rate: found '100'; allowed: 8, 16, 32, 64, 128, 250, 475, 860
            ads1115 channel         | [source]\\ntype = ads1115\\nchannels = 0, 4               | :3: key source.channels: found '0, 4'; allowed: input numbers 0..3
            continuous two inputs   | [source]\\ntype = ads1115\\nmode = continuous\\nchannels = 0, 1 | :4: key source.channels: found '0, 1'; allowed: input numbers 0..3 separated by commas, e.g. 0, 1 (continuous mode: exactly one)
            mcp3008 channel         | [source]\\ntype = mcp3008\\nchannels = 8                  | :3: key source.channels: found '8'; allowed: input numbers 0..7
            mpu range               | [source]\\ntype = mpu6050\\naccel_range = 3               | :3: key source.accel_range: found '3'; allowed: 2, 4, 8, 16
            csv without path        | [source]\\ntype = csv\\ncolumns = a                       | missing key source.path (the CSV file to read
            csv without columns     | [source]\\ntype = stdin                                 | missing key source.columns (the CSV columns to read
            ring not a power of two | [source]\\nring = 1000                                  | :2: key source.ring: found '1000'; allowed: a power of two, e.g. 1024
            anomaly rate            | [source]\\nanomaly_rate = 2                             | :2: key source.anomaly_rate: found '2'; allowed: a number in [0, 1]
            missing policy          | [preprocess]\\nmissing = zero                           | :2: key preprocess.missing: found 'zero'; allowed: drop, hold, mean
            standardize             | [preprocess]\\nstandardize = yes                        | :2: key preprocess.standardize: found 'yes'; allowed: off, running, frozen
            window zero             | [preprocess]\\nwindow = 0                               | :2: key preprocess.window: found '0'; allowed: a whole number in [1, 65536]
            label mode              | [label]\\nmode = classify                               | :2: key label.mode: found 'classify'; allowed: column, gpio, forecast, reconstruct
            column label on sensor  | [label]\\nmode = column                                 | :2: key label.mode: found 'column'; allowed: column only with source.type = csv, stdin, mqtt or serial
            mqtt without topics     | [source]\\ntype = mqtt\\ncolumns = a                      | missing key source.topics (the topics to subscribe to
            mqtt bad wildcard       | [source]\\ntype = mqtt\\ncolumns = a\\ntopics = a/b#     | :4: key source.topics: found 'a/b#'; allowed: MQTT topic filters
            mqtt without url        | [source]\\ntype = mqtt\\ncolumns = a\\ntopics = a/#      | missing key mqtt.url (the broker
            mqtt url scheme         | [source]\\ntype = mqtt\\ncolumns = a\\ntopics = a\\n[mqtt]\\nurl = http://h:1 | :6: key mqtt.url: found 'http://h:1'; allowed: tcp://host:port or ssl://host:port
            mqtt ca without tls     | [source]\\ntype = mqtt\\ncolumns = a\\ntopics = a\\n[mqtt]\\nurl = tcp://h:1\\nca_file = /x | :7: key mqtt.ca_file: found '/x'; allowed: only with an ssl:// url
            mqtt qos                | [source]\\ntype = mqtt\\ncolumns = a\\ntopics = a\\n[mqtt]\\nurl = tcp://h:1\\nqos = 3 | :7: key mqtt.qos: found '3'; allowed: 0, 1, 2
            payload format          | [source]\\ntype = mqtt\\ncolumns = a\\ntopics = a\\nformat = xml | :5: key source.format: found 'xml'; allowed: json, csv
            serial without device   | [source]\\ntype = serial\\ncolumns = a                    | missing key source.device (the serial port
            serial baud             | [source]\\ntype = serial\\ncolumns = a\\ndevice = /dev/ttyUSB0\\nbaud = 9601 | :5: key source.baud: found '9601'; allowed: 1200, 2400
            serial parity           | [source]\\ntype = serial\\ncolumns = a\\ndevice = /dev/ttyUSB0\\nparity = mark | :5: key source.parity: found 'mark'; allowed: none, even, odd
            topics on serial        | [source]\\ntype = serial\\ncolumns = a\\ndevice = /d\\ntopics = a | :5: key source.topics applies only with type = mqtt (source.type is serial)
            gpio without pin        | [source]\\ntype = mpu6050\\n[label]\\nmode = gpio         | missing key source.label_pin
            label pin on sim        | [source]\\nlabel_pin = 17                               | :2: key source.label_pin applies only to a hardware source
            active level            | [source]\\ntype = bme280\\ntrigger_pin = 4\\ntrigger_active = up | :4: key source.trigger_active: found 'up'; allowed: high, low
            """)
    void badIngestConfigExitsWith2AndOneLine(String name, String config, String expected) throws Exception {
        Path f = tmp.resolve("bad.conf");
        Files.writeString(f, config.replace("\\n", "\n"));
        CliRunner r = CliRunner.run("ingest", "--config", f.toString());
        assertEquals(2, r.exitCode(), name + ": " + r.out() + r.err());
        assertTrue(r.err().startsWith("edgetrain ingest: " + f), r.err());
        assertTrue(r.err().contains(expected), name + ": expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void defaultsAreTheSimulatedSensorReconstructingWindowsOf32() {
        SourceConfig c = SourceConfig.parse("t.conf", "");
        assertEquals(SourceConfig.Type.SIM, c.type());
        assertEquals(100, c.rateHz());
        IngestPipeline.Settings s = c.settings(new String[] {"a", "b", "c"});
        assertEquals(Labeling.reconstruct(), s.labeling());
        assertEquals(32, s.window());
        assertEquals(32, s.stride());
        assertEquals(1024, s.ringCapacity());
    }

    @Test
    void sensorKeysAreRead() {
        SourceConfig c = SourceConfig.parse("t.conf", "[source]\ntype = ads1115\naddress = 0x4a\nchannels = 1, 3\ndifferential = true\n"
                + "gain = 0.512\ndata_rate = 860\nlabel_pin = 17\nlabel_active = low\n");
        assertEquals(0x4A, c.address());
        assertEquals(1, c.bus());
        assertEquals(0.512, c.gain());
        assertEquals(Labeling.Mode.GPIO, c.labelMode());
        assertEquals(Labeling.gpio(2), c.settings(new String[] {"x", "y", "label"}).labeling());
        assertTrue(!c.labelActiveHigh());
    }

    @Test
    void aTrainingConfigMayCarryTheIngestSections() {
        // RunConfig's unknown-key check knows [source], [preprocess] and [label]
        RunConfig.parse("t.conf", "[model]\nlayers = dense(4)\n[source]\ntype = sim\n[preprocess]\nwindow = 8\n[label]\nmode = forecast\n");
        BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
                () -> RunConfig.parse("t.conf", "[model]\nlayers = dense(4)\n[source]\ntyp = sim\n"));
        assertTrue(e.getMessage().startsWith("t.conf:4: unknown key source.typ; [source] allows:"), e.getMessage());
    }
}
