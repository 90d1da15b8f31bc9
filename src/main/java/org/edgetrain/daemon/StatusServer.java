package org.edgetrain.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code /health} and {@code /metrics} (Prometheus text) on the JDK's built-in HTTP server, bound to loopback only:
 * a board on a shared network exposes nothing unless the user puts a proxy in front. Off by default.
 */
public final class StatusServer implements AutoCloseable {
    private final HttpServer server;

    public StatusServer(int port, Metrics metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4);
        server.createContext("/health", ex -> reply(ex, "application/json", metrics::health));
        server.createContext("/metrics", ex -> reply(ex, "text/plain; version=0.0.4; charset=utf-8", metrics::prometheus));
        server.setExecutor(null); // the server's own single thread: requests never touch the training thread
        server.start();
    }

    /** The bound port (useful with port 0 in tests). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, String type, Supplier<String> body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
