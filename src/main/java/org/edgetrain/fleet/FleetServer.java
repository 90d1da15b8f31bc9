package org.edgetrain.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.edgetrain.BadInputException;
import org.edgetrain.io.FormatException;
import org.edgetrain.io.Json;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.TensorData;
import org.edgetrain.log.Log;

/**
 * The fleet API on the JDK's HTTP server, bound to loopback only; one request at a time on its own thread (the
 * member runs the work on its trainer thread). Every request needs {@code Authorization: Bearer <token>}.
 *
 * <pre>
 * GET  /v1/describe                 fingerprint, precision, tensor names and shapes, sample counts (JSON)
 * GET  /v1/weights                  trainable tensors as safetensors (PyTorch names, F32)
 * PUT  /v1/weights                  replace them (same names and shapes, finite); resets optimizer and guard, checkpoints
 * POST /v1/train?steps=N            N optimizer steps from the replay buffer
 * POST /v1/train?windows=M          train as new windows arrive until M have (timeout: fleet.train_timeout_s)
 *      (either, with an optional safetensors body: SCAFFOLD's drift correction, applied after every step)
 * POST /v1/evaluate                 loss and accuracy on the held-out slice (JSON)
 * </pre>
 *
 * Errors: 401 without or with a wrong token, 404/405 for an unknown path or method, 400 for a malformed request,
 * 413 for a body over {@code fleet.max_request_bytes}, 422 for weights that do not fit; each with a one-line reason.
 */
public final class FleetServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final FleetMember member;
    private final byte[] token;
    private final int maxRequestBytes;
    private final long trainTimeoutMillis;

    public FleetServer(FleetConfig cfg, FleetMember member) throws IOException {
        this(cfg.port, cfg.readToken(), member, cfg.maxRequestBytes, cfg.trainTimeoutMillis);
    }

    FleetServer(int port, String token, FleetMember member, int maxRequestBytes, long trainTimeoutMillis) throws IOException {
        this.member = member;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = maxRequestBytes;
        this.trainTimeoutMillis = trainTimeoutMillis;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        } catch (java.net.BindException e) { // one line naming the key, exit 2, as for any other config problem
            throw new org.edgetrain.BadInputException("fleet.port = " + port + ": cannot listen on 127.0.0.1 port " + port + " (" + e.getMessage()
                    + "); expected a free port, or 0 for off");
        }
        server.createContext("/", this::handle);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgetrain-fleet-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The bound port (port 0 picks a free one). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Thrown by a route: status and a one-line reason. */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                if (!authorized(ex)) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"edgetrain-fleet\"");
                    throw new Refused(401, "missing or wrong token (send Authorization: Bearer <the token in fleet.token_file>)");
                }
                route(ex);
            } catch (Refused r) {
                if (r.status != 401) Log.warn("fleet API: {} {}: {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), r.status, r.getMessage());
                else Log.warn("fleet API: {} {}: 401 (no or wrong token)", ex.getRequestMethod(), ex.getRequestURI().getPath());
                send(ex, r.status, "text/plain; charset=utf-8", (r.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (BadInputException e) {
                send(ex, 422, "text/plain; charset=utf-8", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException | IOException e) {
                Log.error(e, "fleet API: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath());
                send(ex, 500, "text/plain; charset=utf-8", ("internal error: " + e + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the client went away; nothing to tell it
        }
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        // constant-time comparison: the reply time says nothing about how much of a guess was right
        return h != null && MessageDigest.isEqual(h.getBytes(StandardCharsets.UTF_8), token);
    }

    private void route(HttpExchange ex) throws Refused, IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/v1/describe" -> {
                expect(method, "GET");
                sendJson(ex, describeJson(member.describe()));
            }
            case "/v1/weights" -> {
                if (method.equals("GET")) {
                    byte[] b = Safetensors.toBytes(member.trainableWeights(), Map.of("format", "pt"));
                    send(ex, 200, "application/octet-stream", b);
                } else if (method.equals("PUT")) {
                    replace(ex);
                } else {
                    throw new Refused(405, method + " " + path + ": allowed: GET, PUT");
                }
            }
            case "/v1/train" -> {
                expect(method, "POST");
                Map<String, String> q = query(ex.getRequestURI());
                long steps = number(q, "steps"), windows = number(q, "windows");
                if ((steps > 0) == (windows > 0)) throw new Refused(400, "train: give exactly one of steps=N or windows=M (positive)");
                FleetMember.TrainResult r = member.train(steps, windows, trainTimeoutMillis, correction(ex));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("steps", r.steps());
                m.put("windows", r.windows());
                m.put("loss", finiteOrNull(r.loss()));
                m.put("train_rows", r.trainRows());
                m.put("lr_sum", r.lrSum());
                sendJson(ex, m);
            }
            case "/v1/evaluate" -> {
                expect(method, "POST");
                FleetMember.EvalResult r = member.evaluate();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("loss", finiteOrNull(r.loss()));
                m.put("accuracy", finiteOrNull(r.accuracy()));
                m.put("rows", r.rows());
                sendJson(ex, m);
            }
            default -> throw new Refused(404, "no such endpoint " + path + "; allowed: /v1/describe, /v1/weights, /v1/train, /v1/evaluate");
        }
    }

    private void replace(HttpExchange ex) throws Refused, IOException {
        byte[] body = readBody(ex);
        List<TensorData> tensors;
        try {
            tensors = Safetensors.fromBytes("request body", body).tensors();
        } catch (FormatException e) {
            throw new Refused(400, "not a safetensors file: " + e.getMessage());
        }
        String problem = WeightCheck.problem(tensors, member.describe().tensors());
        if (problem != null) throw new Refused(422, "weights refused, nothing changed: " + problem);
        member.replaceWeights(tensors);
        Log.info("fleet API: weights replaced ({} tensors); optimizer state and guard snapshot reset, checkpoint written", tensors.size());
        sendJson(ex, Map.of("replaced", (long) tensors.size()));
    }

    /** The optional body of a train request: SCAFFOLD's drift correction, the trainable tensors' names and shapes. */
    private List<TensorData> correction(HttpExchange ex) throws Refused, IOException {
        byte[] body = readBody(ex);
        if (body.length == 0) return List.of();
        List<TensorData> tensors;
        try {
            tensors = Safetensors.fromBytes("request body", body).tensors();
        } catch (FormatException e) {
            throw new Refused(400, "train: the body (a drift correction) is not a safetensors file: " + e.getMessage());
        }
        String problem = WeightCheck.problem(tensors, member.describe().tensors());
        if (problem != null) throw new Refused(422, "drift correction refused, nothing trained: " + problem);
        return tensors;
    }

    private byte[] readBody(HttpExchange ex) throws Refused, IOException {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            long n;
            try {
                n = Long.parseLong(cl.strip());
            } catch (NumberFormatException e) {
                throw new Refused(400, "Content-Length '" + cl + "' is not a number");
            }
            if (n > maxRequestBytes) throw new Refused(413, "body of " + n + " bytes; allowed: at most " + maxRequestBytes + " (fleet.max_request_bytes)");
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(maxRequestBytes + 1);
            if (b.length > maxRequestBytes) throw new Refused(413, "body over " + maxRequestBytes + " bytes (fleet.max_request_bytes)");
            return b;
        }
    }

    private static void expect(String method, String allowed) throws Refused {
        if (!method.equals(allowed)) throw new Refused(405, "method " + method + "; allowed: " + allowed);
    }

    private static Map<String, String> query(URI uri) throws Refused {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new Refused(400, "query parameter '" + kv + "' is not key=value");
            q.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        for (String k : q.keySet()) if (!k.equals("steps") && !k.equals("windows")) throw new Refused(400, "unknown query parameter '" + k + "'; allowed: steps, windows");
        return q;
    }

    private static long number(Map<String, String> q, String key) throws Refused {
        String v = q.get(key);
        if (v == null) return 0;
        try {
            long n = Long.parseLong(v);
            if (n < 1 || n > 10_000_000) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new Refused(400, key + "='" + v + "'; allowed: a whole number from 1 to 10000000");
        }
    }

    private static Map<String, Object> describeJson(FleetMember.Description d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", d.fingerprint());
        m.put("precision", d.precision());
        m.put("loss", d.loss());
        List<Object> ts = new ArrayList<>();
        for (FleetMember.TensorShape t : d.tensors()) {
            List<Object> shape = new ArrayList<>();
            for (int s : t.shape()) shape.add((long) s);
            ts.add(Map.of("name", t.name(), "shape", shape));
        }
        m.put("tensors", ts);
        m.put("train_rows", d.trainRows());
        m.put("holdout_rows", d.holdoutRows());
        m.put("windows", d.windows());
        m.put("steps", d.steps());
        return m;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void sendJson(HttpExchange ex, Map<String, Object> m) throws IOException {
        send(ex, 200, "application/json", (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
