package org.edgetrain.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.RingBuffer;
import org.edgetrain.ingest.SourceStats.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serial source on a pseudo-terminal pair from socat: our end ({@code ttyA}) is configured with stty and read like
 * a USB adapter; the test writes a microcontroller's lines into the other end ({@code ttyB}).
 */
class SerialSourceTest {
    @TempDir
    Path tmp;
    private Process socat;

    /** A pty pair linked as tmp/ttyA and tmp/ttyB. */
    private void plugIn() throws Exception {
        Peers.require("socat", "stty");
        socat = new ProcessBuilder(Peers.which("socat"), "pty,raw,echo=0,link=" + tmp.resolve("ttyA"), "pty,raw,echo=0,link=" + tmp.resolve("ttyB"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("socat.log").toFile()).start();
        Peers.await("socat's ptys", 10_000, () -> Files.exists(tmp.resolve("ttyA")) && Files.exists(tmp.resolve("ttyB")));
    }

    /** SIGTERM: socat closes both ends and removes its links, as when the adapter is pulled. */
    private void unplug() throws Exception {
        socat.destroy();
        assertTrue(socat.waitFor(10, TimeUnit.SECONDS));
        Peers.await("the links removed", 5_000, () -> !Files.exists(tmp.resolve("ttyA")));
    }

    @AfterEach
    void stopSocat() {
        if (socat != null) socat.destroyForcibly();
    }

    private IngestPipeline pipeline(String extra) {
        ConfigFile f = ConfigFile.parse("serial.conf", "[source]\ntype = serial\ndevice = " + tmp.resolve("ttyA")
                + "\nbaud = 115200\ncolumns = x, y\nretries = 2\nbackoff_ms = 10\nreprobe_s = 0.2\n" + extra + "[preprocess]\nwindow = 2\n");
        return Connect.pipeline(SourceConfig.of(f, true), f);
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static float[] next(RingBuffer ring) throws InterruptedException {
        float[] v = new float[ring.channels()];
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ring.poll(v, 0) == org.edgetrain.ingest.Source.NO_SAMPLE) {
            if (System.nanoTime() > deadline) throw new AssertionError("no reading within 10 s");
            Thread.sleep(5);
        }
        return v;
    }

    @Test
    void linesWrittenIntoThePtyBecomeReadingsAndAClosedAndReopenedPtyIsReprobed() throws Exception {
        plugIn();
        try (IngestPipeline p = pipeline("")) {
            p.start(); // the source thread, as in the daemon
            RingBuffer ring = p.ring();
            try (OutputStream out = new FileOutputStream(tmp.resolve("ttyB").toFile())) {
                Thread.sleep(300); // the port is configured and opened
                write(out, "1.5,2\r\n");
                assertArrayEquals(new float[] {1.5f, 2}, next(ring));
                write(out, "3,oops\n4,\n"); // a malformed line, then a missing value
                float[] v = next(ring);
                assertEquals(4, v[0]);
                assertTrue(Float.isNaN(v[1]));
                write(out, "5,");
                Thread.sleep(150); // a line split across reads, with silence in between
                write(out, "6\n");
                assertArrayEquals(new float[] {5, 6}, next(ring));
            }
            assertEquals(1, p.stats().get(Counter.MALFORMED_LINES));
            unplug();
            Peers.await("the loss noticed", 10_000, () -> p.stats().get(Counter.DISCONNECTS) == 1);
            plugIn();
            Peers.await("the re-probe", 10_000, () -> p.stats().get(Counter.REPROBES) >= 1);
            try (OutputStream out = new FileOutputStream(tmp.resolve("ttyB").toFile())) {
                Thread.sleep(500); // the re-probe opens the new pty
                write(out, "7,8\n");
                assertArrayEquals(new float[] {7, 8}, next(ring));
            }
            assertEquals(3 + 1, p.stats().get(Counter.SAMPLES));
        }
    }

    @Test
    void withAHeaderTheColumnsAreFoundByName() throws Exception {
        plugIn();
        try (IngestPipeline p = pipeline("header = true\n")) {
            p.start();
            try (OutputStream out = new FileOutputStream(tmp.resolve("ttyB").toFile())) {
                Thread.sleep(300);
                write(out, "t,y,x\n0,10,20\n");
                assertArrayEquals(new float[] {20, 10}, next(p.ring()));
            }
        }
    }
}
