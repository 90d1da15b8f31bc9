package org.edgetrain.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgetrain run} as a process between two MQTT peers: readings in from mosquitto_pub (with 10,000 malformed
 * payloads mixed in), anomalies, a retained status and the last will out to mosquitto_sub; the broker killed and
 * restarted mid-run.
 */
class MqttDaemonTest {
    @TempDir
    Path tmp;
    private final List<Process> started = new ArrayList<>();
    private Peers.Broker broker;

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) p.destroyForcibly();
        if (broker != null) broker.close();
    }

    private Process track(Process p) {
        started.add(p);
        return p;
    }

    /** Sine readings on two channels; a spike of {@code spikeLen} readings at {@code spikeAt} (-1: none). */
    private static List<String> readings(int n, int phase, int spikeAt, int spikeLen, Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double t = (i + phase) * 0.2;
            double a = Math.sin(t) + 0.05 * r.nextGaussian();
            double b = Math.cos(0.5 * t) + 0.05 * r.nextGaussian();
            if (spikeAt >= 0 && i >= spikeAt && i < spikeAt + spikeLen) a += 25;
            out.add(String.format(Locale.ROOT, "%.4f,%.4f", a, b));
        }
        return out;
    }

    private static String latest(Path subOut, String topic) throws IOException {
        String last = null;
        for (String line : Files.readAllLines(subOut)) if (line.startsWith(topic + " ")) last = line.substring(topic.length() + 1);
        return last;
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json == null ? "" : json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void readingsInAnomaliesStatusAndLastWillOutThroughABrokerThatIsKilledAndRestarted() throws Exception {
        broker = new Peers.Broker(tmp.resolve("broker"));
        int statusPort = Peers.freePort();
        Path conf = tmp.resolve("pump.conf");
        Files.writeString(conf, """
                [source]
                type = mqtt
                topics = plant/pump1/+
                format = csv
                columns = a, b
                [preprocess]
                standardize = frozen
                warmup = 200
                window = 16
                stride = 4
                [label]
                mode = reconstruct
                [model]
                layers = dense(8) leaky_relu dense(32)
                [loss]
                type = mse
                [optimizer]
                type = adam
                lr = 0.003
                [train]
                batch = 8
                seed = 1
                [daemon]
                output = mqtt
                log_every = 50
                eval_every = 50
                checkpoint_every = 100000
                replay = 256
                status_port = %d
                """.formatted(statusPort) + broker.mqttSection("pump1") + "discovery = true\nscores = true\n");
        Path subOut = tmp.resolve("sub-1.txt");
        track(broker.subscribe("#", subOut));
        Path state = tmp.resolve("state");
        Path daemonOut = tmp.resolve("daemon.out");
        Process daemon = track(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--config", conf.toString(), "--state-dir",
                state.toString(), "--kernels", "java").redirectErrorStream(true).redirectOutput(daemonOut.toFile()).start());
        Peers.await("the daemon online", 30_000, () -> "online".equals(read(subOut, "edgetrain/pump1/availability")));
        Peers.await("Home Assistant discovery", 10_000, () -> read(subOut, "homeassistant/binary_sensor/pump1/anomaly/config") != null);

        // 6,000 readings with 10,000 malformed payloads mixed in, and a spike near the end
        Random r = new Random(5);
        List<String> good = readings(6000, 0, 5000, 12, r);
        List<String> mixed = new ArrayList<>();
        String[] bad = {"not,numbers", "1", "1,2,3", "{\"a\":1}", "", "nan,,", "9".repeat(5000)};
        for (int i = 0, g = 0; g < good.size(); i++) {
            if (mixed.size() - g < 10_000 && (i % 8 < 5 && g < 5000 || g >= 5000 && mixed.size() - g < 10_000)) {
                mixed.add(bad[(i / 3) % bad.length]);
            } else {
                mixed.add(good.get(g++));
            }
        }
        assertEquals(16_000, mixed.size());
        Path batch1 = tmp.resolve("batch1.txt");
        Files.write(batch1, mixed);
        broker.publishLines("plant/pump1/vib", 1, batch1);
        awaitStatus("10,000 malformed counted while training", subOut, daemonOut, st -> field(st, "malformed") == 10_000 && field(st, "step") >= 500);
        Peers.await("the anomaly episode", 30_000, () -> read(subOut, "edgetrain/pump1/anomaly") != null);
        String anomaly = read(subOut, "edgetrain/pump1/anomaly");
        long first = field(anomaly, "first_window");
        // the spike sits at reading 5000 of 6000: past window 900 even after the warm-up and any overrun
        assertTrue(first >= 900, "the episode is the spike: " + anomaly);
        assertEquals("OFF", read(subOut, "edgetrain/pump1/anomaly/state"));
        assertTrue(read(subOut, "edgetrain/pump1/score").matches("\\{\"window\":\\d+,\"step\":\\d+,\"score\":[0-9.e+-]+,\"anomaly\":(true|false)}"),
                read(subOut, "edgetrain/pump1/score"));
        String status1 = read(subOut, "edgetrain/pump1/status");
        long step1 = field(status1, "step");

        // the broker dies and comes back: the daemon reconnects (source and output) and carries on
        broker.kill();
        Thread.sleep(1000);
        broker.start();
        Path subOut2 = tmp.resolve("sub-2.txt");
        track(broker.subscribe("#", subOut2));
        Peers.await("the output back online", 30_000, () -> "online".equals(read(subOut2, "edgetrain/pump1/availability")));
        Peers.await("the source re-subscribed", 30_000, () -> log(daemonOut).contains("reconnected after"));
        Thread.sleep(300);
        Path batch2 = tmp.resolve("batch2.txt");
        Files.write(batch2, readings(2000, 6000, -1, 0, r));
        broker.publishLines("plant/pump1/vib", 1, batch2);
        awaitStatus("training on after the gap", subOut2, daemonOut, st -> field(st, "step") >= step1 + 200);
        String status2 = read(subOut2, "edgetrain/pump1/status");
        assertEquals(1, field(status2, "disconnects"), status2);
        assertTrue(field(status2, "gap_ms") >= 1000, "the gap is counted: " + status2);
        assertTrue(status2.contains("\"health\":\""), status2);

        // the status is retained: a client that arrives later gets it at once
        Process late = new ProcessBuilder(broker.client("mosquitto_sub", "-C", "1", "-W", "10", "-t", "edgetrain/pump1/status"))
                .redirectErrorStream(true).start();
        String retained = new String(late.getInputStream().readAllBytes());
        assertTrue(late.waitFor(15, TimeUnit.SECONDS));
        assertTrue(retained.startsWith("{\"state\":\"training\""), retained);

        // credentials appear nowhere: not in /metrics, the log, or the output
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("edgetrain_steps_total"), metrics);
        for (String text : List.of(metrics, log(daemonOut), Files.readString(state.resolve("logs").resolve("edgetrain.log")))) {
            assertFalse(text.contains(Peers.Broker.PASSWORD), "the password leaked");
        }

        // SIGKILL: the broker publishes the last will
        daemon.destroyForcibly();
        assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
        Peers.await("the last will", 20_000, () -> "offline".equals(read(subOut2, "edgetrain/pump1/availability")));
        System.out.println("MqttDaemonTest: " + status2);
    }

    @Test
    void aWrongPasswordOrCaForTheOutputStopsRunAtStartWithOneLineAndExitCode2() throws Exception {
        broker = new Peers.Broker(tmp.resolve("broker"));
        String sim = "[source]\ntype = sim\nrate_hz = 0\n[preprocess]\nwindow = 4\n[model]\nlayers = dense(4) dense(12)\n[loss]\ntype = mse\n[daemon]\noutput = mqtt\n";
        Path wrongPw = tmp.resolve("wrong-pw.conf");
        Files.writeString(wrongPw, sim + broker.mqttSection("out").replaceAll("password_file = .*", "password = not-it-7"));
        Path wrongCa = tmp.resolve("wrong-ca.conf");
        Files.writeString(wrongCa, sim + broker.mqttSection("out").replace(broker.url(), broker.tlsUrl()) + "ca_file = " + broker.otherCa + "\n");
        for (Path conf : List.of(wrongPw, wrongCa)) {
            Path err = tmp.resolve("err.txt");
            Process p = track(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--config", conf.toString(), "--state-dir",
                    tmp.resolve("state").toString(), "--kernels", "java").redirectError(err.toFile()).redirectOutput(tmp.resolve("out.txt").toFile())
                    .start());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String text = Files.readString(err);
            assertEquals(2, p.exitValue(), text);
            assertEquals(1, text.strip().lines().count(), text);
            assertTrue(text.startsWith("edgetrain run: " + conf + ": key mqtt."), text);
            assertTrue(text.contains(conf == wrongPw ? "refused user 'edge' (output)" : "is not trusted by " + broker.otherCa), text);
            assertFalse(text.contains("not-it-7"), text);
        }
    }

    private static void awaitStatus(String what, Path subOut, Path daemonOut, java.util.function.Predicate<String> ok) throws Exception {
        try {
            Peers.await(what, 60_000, () -> ok.test(read(subOut, "edgetrain/pump1/status")));
        } catch (AssertionError e) {
            String log = log(daemonOut);
            throw new AssertionError(e.getMessage() + "; last status " + read(subOut, "edgetrain/pump1/status") + "; daemon output:\n"
                    + log.substring(Math.max(0, log.length() - 3000)), e);
        }
    }

    private static String read(Path subOut, String topic) {
        try {
            return latest(subOut, topic);
        } catch (IOException e) {
            return null;
        }
    }

    private static String log(Path f) {
        return Peers.Broker.read(f);
    }
}
