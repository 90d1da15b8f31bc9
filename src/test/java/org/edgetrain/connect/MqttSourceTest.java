package org.edgetrain.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.cli.Main;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT source against a real mosquitto: payload formats, QoS, malformed payloads, credentials, TLS, a lost broker. */
class MqttSourceTest {
    @TempDir
    static Path tmp;
    static Peers.Broker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new Peers.Broker(tmp.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    private static ConfigFile config(String source, String mqtt) {
        return ConfigFile.parse("test.conf", "[source]\ntype = mqtt\nretries = 2\nbackoff_ms = 10\nreprobe_s = 0.2\n" + source
                + "\n[preprocess]\nwindow = 2\n" + mqtt);
    }

    private static IngestPipeline open(ConfigFile f) {
        IngestPipeline p = Connect.pipeline(SourceConfig.of(f, true), f);
        return p;
    }

    /** Reads {@code n} readings from the source (its inbox), waiting up to 10 s. */
    private static List<float[]> take(Source s, int n) throws Exception {
        List<float[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (out.size() < n) {
            float[] v = new float[s.channels()];
            if (s.read(v, 0) != Source.NO_SAMPLE) out.add(v);
            else if (System.nanoTime() > deadline) throw new AssertionError("got " + out.size() + " of " + n + " readings");
            else Thread.sleep(5);
        }
        return out;
    }

    @Test
    void jsonPayloadsAtQos0And1BecomeReadingsWithNestedFieldsAndTimestamps() throws Exception {
        try (IngestPipeline p = open(config("topics = site/+/env\ncolumns = temp, env.hum, ok\ntimestamp = ts",
                broker.mqttSection("t-json")))) {
            Source s = p.source();
            s.open();
            broker.publish("site/a/env", 0, "{\"temp\": 21.5, \"env\": {\"hum\": 40}, \"ok\": true, \"ts\": 1700000000}");
            broker.publish("site/b/env", 1, "{\"temp\": -3e-1, \"env\": {\"hum\": null}, \"ok\": false, \"ts\": 1700000000123, \"x\": [1]}");
            broker.publish("other/topic", 1, "{\"temp\": 99}"); // not subscribed
            List<float[]> r = take(s, 2);
            assertArrayEquals(new float[] {21.5f, 40f, 1f}, r.get(0));
            assertEquals(-0.3f, r.get(1)[0]);
            assertTrue(Float.isNaN(r.get(1)[1]), "null is a missing value");
            assertEquals(0f, r.get(1)[2]);
            Thread.sleep(200);
            assertEquals(Source.NO_SAMPLE, s.read(new float[3], 0), "nothing from an unsubscribed topic");
            assertEquals(0, p.stats().get(Counter.MALFORMED_LINES));
        }
    }

    @Test
    void csvPayloadsAtQos0And1BecomeReadingsAndMalformedOnesAreCountedAndSkipped() throws Exception {
        try (IngestPipeline p = open(config("topics = serial/#\nformat = csv\ncolumns = a, b\nmax_payload = 64", broker.mqttSection("t-csv")))) {
            Source s = p.source();
            s.open();
            Path lines = tmp.resolve("lines.txt");
            List<String> text = new ArrayList<>();
            int good = 0;
            for (int i = 0; i < 1000; i++) {
                text.add(i + "," + (i * 0.5));
                good++;
                if (i % 10 == 3) text.add("not,numbers");
                if (i % 10 == 7) text.add("1,2,3");
                if (i % 100 == 9) text.add("9".repeat(80)); // over max_payload
            }
            Files.write(lines, text);
            broker.publishLines("serial/x", 1, lines);
            List<float[]> r = take(s, good);
            for (int i = 0; i < good; i++) assertArrayEquals(new float[] {i, i * 0.5f}, r.get(i), "reading " + i);
            // after the QoS 1 burst has arrived: messages on two topics at two QoS levels have no order between them
            broker.publish("serial/y", 0, "5,6\n7,8"); // two readings in one payload
            List<float[]> two = take(s, 2);
            assertArrayEquals(new float[] {5, 6}, two.get(0));
            assertArrayEquals(new float[] {7, 8}, two.get(1));
            assertEquals(100 + 100 + 10, p.stats().get(Counter.MALFORMED_LINES));
        }
    }

    @Test
    void aBrokerKilledAndRestartedIsReconnectedAndTheGapCounted() throws Exception {
        try (IngestPipeline p = open(config("topics = gap/t\nformat = csv\ncolumns = v", broker.mqttSection("t-gap")))) {
            Source s = p.source();
            s.open();
            broker.publish("gap/t", 1, "1");
            assertArrayEquals(new float[] {1}, take(s, 1).get(0));
            broker.kill();
            Peers.await("the loss noticed", 10_000, () -> p.stats().get(Counter.DISCONNECTS) == 1);
            Thread.sleep(500);
            broker.start();
            Peers.await("the reconnect", 20_000, () -> p.stats().get(Counter.REPROBES) == 1);
            Thread.sleep(300); // the re-subscription is acknowledged
            broker.publish("gap/t", 1, "2");
            assertArrayEquals(new float[] {2}, take(s, 1).get(0));
            assertEquals(1, p.stats().get(Counter.DISCONNECTS));
            assertTrue(p.stats().get(Counter.GAP_MILLIS) >= 500, "gap " + p.stats().get(Counter.GAP_MILLIS) + " ms");
        }
    }

    @Test
    void aWrongPasswordIsOneClearErrorLineAndExitCode2() throws Exception {
        Path pw = tmp.resolve("wrong-pw");
        Files.writeString(pw, "not-the-password\n");
        ConfigFile f = config("topics = a\ncolumns = v", "[mqtt]\nurl = " + broker.url() + "\nusername = edge\npassword_file = " + pw + "\n");
        BadInputException e = assertThrows(BadInputException.class, () -> open(f));
        assertTrue(e.getMessage().contains("refused user 'edge'"), e.getMessage());
        ConfigFile anon = config("topics = a\ncolumns = v", "[mqtt]\nurl = " + broker.url() + "\n");
        assertTrue(assertThrows(BadInputException.class, () -> open(anon)).getMessage().contains("refused an anonymous connection"));
        Path conf = tmp.resolve("wrong-pw.conf");
        Files.writeString(conf, "[source]\ntype = mqtt\ntopics = a\ncolumns = v\n[preprocess]\nwindow = 2\n[mqtt]\nurl = " + broker.url()
                + "\nusername = edge\npassword = also-wrong-pw\n");
        String err = cli(2, "ingest", "--config", conf.toString(), "--samples", "1");
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("edgetrain ingest: " + conf + ": key mqtt.username/mqtt.password: the broker " + broker.url()), err);
        assertFalse(err.contains("also-wrong-pw"), "the password is never printed: " + err);
    }

    @Test
    void tlsWithTheRightCaConnectsAndAWrongCaIsOneClearErrorLineAndExitCode2() throws Exception {
        String good = broker.mqttSection("t-tls").replace(broker.url(), broker.tlsUrl()) + "ca_file = " + broker.ca + "\n";
        try (IngestPipeline p = open(config("topics = tls/t\nformat = csv\ncolumns = v", good))) {
            Source s = p.source();
            s.open();
            broker.publish("tls/t", 1, "42");
            assertArrayEquals(new float[] {42}, take(s, 1).get(0));
        }
        Path conf = tmp.resolve("wrong-ca.conf");
        Files.writeString(conf, "[source]\ntype = mqtt\ntopics = a\ncolumns = v\n[preprocess]\nwindow = 2\n"
                + good.replace(broker.ca.toString(), broker.otherCa.toString()));
        String err = cli(2, "ingest", "--config", conf.toString(), "--samples", "1");
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("key mqtt.ca_file: the certificate of " + broker.tlsUrl() + " is not trusted by " + broker.otherCa), err);
    }

    private static String cli(int expectedExit, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, rc, "stdout: " + out.toString(StandardCharsets.UTF_8) + "\nstderr: " + e);
        return e;
    }
}
