package org.edgetrain.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated default never loads Paho or the connect sources: a board that does not use MQTT pays nothing. */
class LoadedOnlyWhenConfiguredTest {
    @TempDir
    Path tmp;

    @Test
    void theSimulatedDaemonLoadsNoMqttOrSerialClass() throws Exception {
        Path out = tmp.resolve("classes.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xlog:class+load=info",
                "-cp", System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--steps", "40", "--state-dir",
                tmp.resolve("state").toString(), "--kernels", "java").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text.substring(Math.max(0, text.length() - 2000)));
        assertTrue(text.contains("org.edgetrain.daemon.Daemon "), "the class-load log works");
        assertTrue(text.contains("org.edgetrain.connect.Connect "), "the run went through Connect");
        assertFalse(text.contains("org.eclipse.paho"), "Paho loaded");
        assertFalse(text.contains("org.edgetrain.connect.mqtt."), "an MQTT class loaded");
        assertFalse(text.contains("org.edgetrain.connect.serial."), "a serial class loaded");
    }
}
