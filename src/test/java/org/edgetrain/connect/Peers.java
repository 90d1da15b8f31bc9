package org.edgetrain.connect;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The real peers the connect tests talk to: Debian's mosquitto, mosquitto-clients and socat. Missing tools fail the
 * test when {@code CI=true} ({@code .ci/run} installs them) and skip it elsewhere.
 */
final class Peers {
    private Peers() {
    }

    static void require(String... tools) {
        for (String t : tools) {
            if (onPath(t)) continue;
            String msg = t + " is not installed (Debian: apt-get install mosquitto mosquitto-clients socat; .ci/run does this)";
            if ("true".equals(System.getenv("CI"))) fail(msg);
            Assumptions.abort(msg);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
            if (new File(dir, tool).canExecute()) return true;
        }
        return false;
    }

    static String which(String tool) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
            File f = new File(dir, tool);
            if (f.canExecute()) return f.getPath();
        }
        throw new IllegalStateException(tool + " not found");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a command to its end; fails with its output when it fails. */
    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    static void await(String what, long timeoutMs, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeoutMs + " ms waiting for " + what);
            Thread.sleep(20);
        }
    }

    /**
     * A mosquitto broker on two free loopback ports: plain MQTT and TLS (certificates made here with openssl, host
     * 127.0.0.1), both requiring {@link #USER}/{@link #PASSWORD} from a password file; anonymous clients refused.
     */
    static final class Broker implements AutoCloseable {
        static final String USER = "edge";
        static final String PASSWORD = "pw-Zq7-not-in-logs";
        final Path dir;
        final int port;
        final int tlsPort;
        final Path ca;
        final Path otherCa;
        private Process process;

        Broker(Path dir) throws IOException, InterruptedException {
            require("mosquitto", "mosquitto_pub", "mosquitto_sub", "mosquitto_passwd", "openssl");
            this.dir = Files.createDirectories(dir);
            this.port = freePort();
            this.tlsPort = freePort();
            run(dir, which("mosquitto_passwd"), "-b", "-c", "passwd", USER, PASSWORD);
            // a CA, the broker's certificate signed by it (for 127.0.0.1), and a second CA that signed nothing here
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                    "-out", "ca.pem", "-days", "2", "-subj", "/CN=edgetrain test CA");
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "other.key",
                    "-out", "other.pem", "-days", "2", "-subj", "/CN=some other CA");
            run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
                    "-out", "server.csr", "-subj", "/CN=127.0.0.1");
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                    "server.pem", "-days", "2", "-extfile", "san.ext");
            this.ca = dir.resolve("ca.pem");
            this.otherCa = dir.resolve("other.pem");
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "user " + System.getProperty("user.name"),
                    "persistence false",
                    // the tests publish bursts far faster than sensors do; mosquitto's default queue (1000 QoS 1
                    // messages per subscriber) would drop part of a burst before the subscriber acknowledged it
                    "max_queued_messages 100000",
                    "allow_anonymous false",
                    "password_file " + dir.resolve("passwd"),
                    "log_dest file " + dir.resolve("mosquitto.log"),
                    "listener " + port + " 127.0.0.1",
                    "listener " + tlsPort + " 127.0.0.1",
                    "cafile " + ca,
                    "certfile " + dir.resolve("server.pem"),
                    "keyfile " + dir.resolve("server.key"),
                    ""));
            start();
        }

        void start() throws IOException, InterruptedException {
            process = new ProcessBuilder(which("mosquitto"), "-c", dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
            await("mosquitto on port " + port, 10_000, () -> {
                if (!process.isAlive()) fail("mosquitto exited: " + read(dir.resolve("mosquitto.out")) + read(dir.resolve("mosquitto.log")));
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        /** SIGKILL: the broker vanishes as in a crash or a cut network. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        String url() {
            return "tcp://127.0.0.1:" + port;
        }

        String tlsUrl() {
            return "ssl://127.0.0.1:" + tlsPort;
        }

        /** {@code [mqtt]} for this broker's plain listener, password from a file. */
        String mqttSection(String clientId) throws IOException {
            Path pw = dir.resolve("client-password");
            Files.writeString(pw, PASSWORD + "\n");
            return "[mqtt]\nurl = " + url() + "\nclient_id = " + clientId + "\nusername = " + USER + "\npassword_file = " + pw + "\n";
        }

        List<String> client(String tool, String... args) {
            List<String> cmd = new ArrayList<>(List.of(which(tool), "-h", "127.0.0.1", "-p", Integer.toString(port), "-u", USER, "-P", PASSWORD));
            cmd.addAll(List.of(args));
            return cmd;
        }

        /** Publishes each line of {@code lines} as one message. */
        void publishLines(String topic, int qos, Path lines) throws IOException, InterruptedException {
            List<String> cmd = client("mosquitto_pub", "-t", topic, "-q", Integer.toString(qos), "-l");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(lines.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) fail("mosquitto_pub failed: " + out);
        }

        void publish(String topic, int qos, String message) throws IOException, InterruptedException {
            List<String> cmd = client("mosquitto_pub", "-t", topic, "-q", Integer.toString(qos), "-m", message);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) fail("mosquitto_pub failed: " + out);
        }

        /** {@code mosquitto_sub -v} on {@code topic}, writing "topic payload" lines to {@code out}. */
        Process subscribe(String topic, Path out) throws IOException {
            return new ProcessBuilder(client("mosquitto_sub", "-v", "-q", "1", "-t", topic)).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
        }

        static String read(Path f) {
            try {
                return Files.exists(f) ? Files.readString(f) : "";
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        }
    }
}
