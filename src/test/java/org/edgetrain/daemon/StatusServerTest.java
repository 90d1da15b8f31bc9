package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private static final Map<String, StatusServer.Route> ROUTES = Map.of(
            "/health", StatusServer.Route.of("application/json", () -> "{\"status\":\"ok\"}\n"),
            "/metrics", StatusServer.Route.of("text/plain", () -> "edgetrain_steps_total 7\n"),
            "/", new StatusServer.Route("text/html", q -> "<p>" + q + "</p>"));

    /** One request on a fresh connection; the socket's read timeout only guards the test against a hang. */
    static String send(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String get(int port, String path, String... headers) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers) + "\r\n");
    }

    @Test
    void slowClientsHoldingConnectionsDoNotBlockAnotherClientsScrapes() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try (StatusServer server = new StatusServer(InetAddress.getLoopbackAddress(), 0, null, ROUTES, new StatusServer.Limits(60_000, 32, 8192))) {
            for (int i = 0; i < 60; i++) { // as in issue 16: half a request each, then silence, for longer than the test
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
                s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 20; i++) {
                String r = get(server.port(), "/metrics");
                assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n") && r.endsWith("edgetrain_steps_total 7\n"), "scrape " + i + ": " + r);
            }
            assertTrue(server.refused() >= 28, "connections over the limit of 32 push out the oldest: " + server.refused());
        } finally {
            for (Socket s : slow) s.close();
        }
    }

    @Test
    void aRequestThatNeverFinishesIsClosedAtItsDeadline() throws Exception {
        try (StatusServer server = new StatusServer(InetAddress.getLoopbackAddress(), 0, null, ROUTES, new StatusServer.Limits(300, 32, 8192));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            int first;
            try {
                first = s.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1; // closed with a reset: the same for the client
            }
            assertEquals(-1, first, "closed without an answer");
            assertEquals(1, server.refused());
            assertTrue(get(server.port(), "/health").contains("200 OK"), "the server still answers");
        }
    }

    @Test
    void pathsMatchExactlyAndOnlyGetIsAnswered() throws Exception {
        try (StatusServer server = new StatusServer(0, ROUTES)) {
            int p = server.port();
            assertTrue(get(p, "/healthz").startsWith("HTTP/1.1 404 "));
            assertTrue(get(p, "/metricsfoo").startsWith("HTTP/1.1 404 "));
            assertTrue(get(p, "/health/").startsWith("HTTP/1.1 404 "));
            assertTrue(get(p, "/health?x=1").startsWith("HTTP/1.1 200 "));
            assertTrue(get(p, "/?refresh=1").endsWith("<p>refresh=1</p>"), "the page sees its query");
            assertTrue(send(p, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n").startsWith("HTTP/1.1 405 "));
            String head = send(p, "HEAD /metrics HTTP/1.1\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200 ") && head.endsWith("\r\n\r\n"), head);
            assertTrue(send(p, "garbage\r\n\r\n").startsWith("HTTP/1.1 400 "));
            assertTrue(send(p, "GET /health HTTP/1.1\r\nX: " + "a".repeat(10_000) + "\r\n\r\n").startsWith("HTTP/1.1 431 "));
        }
    }

    @Test
    void aTokenIsRequiredWhenSetAndForAnyAddressButLoopback() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> new StatusServer(InetAddress.getByName("0.0.0.0"), 0, null, ROUTES, StatusServer.Limits.DEFAULT));
        String token = "s3cret-token-0123456789";
        try (StatusServer server = new StatusServer(InetAddress.getLoopbackAddress(), 0, token, ROUTES, StatusServer.Limits.DEFAULT)) {
            int p = server.port();
            assertTrue(get(p, "/metrics").startsWith("HTTP/1.1 401 "));
            assertTrue(get(p, "/metrics", "Authorization: Bearer wrong\r\n").startsWith("HTTP/1.1 401 "));
            assertTrue(get(p, "/metrics", "Authorization: Bearer " + token + "\r\n").startsWith("HTTP/1.1 200 "));
            assertTrue(get(p, "/?token=" + token + "&refresh=2").startsWith("HTTP/1.1 200 "));
            assertTrue(get(p, "/?token=x" + token).startsWith("HTTP/1.1 401 "));
        }
    }

    @Test
    void aClientThatDoesNotReadItsReplyIsClosedAtItsDeadline() throws Exception {
        String big = "x".repeat(4 << 20); // more than the socket buffers hold
        Map<String, StatusServer.Route> routes = Map.of("/big", StatusServer.Route.of("text/plain", () -> big),
                "/health", ROUTES.get("/health"));
        try (StatusServer server = new StatusServer(InetAddress.getLoopbackAddress(), 0, null, routes, new StatusServer.Limits(300, 32, 8192));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream o = s.getOutputStream();
            o.write("GET /big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(get(server.port(), "/health").contains("200 OK"), "answered while the other reply is stuck");
            Thread.sleep(600); // past the deadline, reading nothing
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            long got = 0;
            try {
                for (int n; (n = in.read(new byte[65536])) > 0; ) got += n;
            } catch (IOException reset) {
                // a reset is a close too
            }
            assertTrue(got < big.length(), "the reply was cut off at the deadline: " + got);
        }
    }
}
