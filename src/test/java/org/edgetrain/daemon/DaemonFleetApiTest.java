package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgetrain.BadInputException;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.connect.Sources;
import org.edgetrain.io.Json;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.TensorData;
import org.edgetrain.kernels.JavaKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet API of a running daemon on the digits example: auth, describe, weights in and out, train, evaluate. */
class DaemonFleetApiTest {
    static final String TOKEN = "s3cret-token-for-the-fleet-api-0123456789";

    @TempDir
    Path tmp;

    private Daemon daemon;
    private Thread loop;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private ConfigFile config(String tokenFile) throws IOException {
        ConfigFile f = ConfigFile.read(Path.of("examples/fleet-digits.conf"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return f.with("source.path", Path.of("data/digits-train.csv").toAbsolutePath().toString())
                .with("daemon.state_dir", tmp.resolve("state").toString()).with("fleet.port", Integer.toString(port))
                .with("fleet.token_file", tokenFile).with("fleet.train_timeout_s", "1");
    }

    private Path tokenFile(String perms) throws IOException {
        Path t = tmp.resolve("fleet.token");
        Files.writeString(t, TOKEN + "\n");
        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(perms));
        return t;
    }

    private void start() throws Exception {
        start(config(tokenFile("rw-------").toString()));
    }

    private void start(ConfigFile f) throws Exception {
        daemon = new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
        loop = new Thread(() -> {
            try {
                daemon.run();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        loop.start();
        // The server starts with the loop; wait for the whole CSV (1,437 rows, less the standardization warm-up's),
        // not part of it: under load the reader can still be on its way when the API answers, and tests compare exact
        // counts.
        long rows = 1437 - (f.get("preprocess.warmup") == null ? 0 : Long.parseLong(f.get("preprocess.warmup").value()));
        for (int i = 0; i < 1200; i++) {
            try {
                if (describe().get("windows") instanceof Long n && n == rows) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the fleet API did not come up with the data read (" + rows + " windows expected): " + describeOrNull());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.requestStop();
            loop.join(20_000);
        }
    }

    private HttpResponse<byte[]> call(String method, String path, byte[] body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> call(String method, String path, byte[] body) throws IOException, InterruptedException {
        return call(method, path, body, TOKEN);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> describe() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = call("GET", "/v1/describe", null);
        assertEquals(200, r.statusCode(), new String(r.body()));
        try {
            return (Map<String, Object>) Json.parse(new String(r.body()));
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private List<TensorData> weights() throws Exception {
        HttpResponse<byte[]> r = call("GET", "/v1/weights", null);
        assertEquals(200, r.statusCode());
        return Safetensors.fromBytes("GET /v1/weights", r.body()).tensors();
    }

    private static byte[] encode(List<TensorData> t) {
        return Safetensors.toBytes(t, Map.of());
    }

    private String text(HttpResponse<byte[]> r) {
        return new String(r.body()).strip();
    }

    @Test
    void describesItselfWithTrainableTensorsInPyTorchNames() throws Exception {
        start();
        Map<String, Object> d = describe();
        assertEquals("fp32", d.get("precision"));
        assertEquals("cross_entropy", d.get("loss"));
        assertFalse(((String) d.get("fingerprint")).isEmpty());
        List<String> names = new ArrayList<>();
        for (Object t : (List<?>) d.get("tensors")) names.add((String) ((Map<?, ?>) t).get("name"));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), names);
        // 1,437 rows: every 10th held out (143), the rest trains
        assertEquals(1437 - 143, (long) (Long) d.get("train_rows"));
        assertEquals(143L, d.get("holdout_rows"));
        assertEquals(0L, d.get("steps"), "with the fleet API on, the daemon trains only when asked");
        List<TensorData> w = weights();
        assertArrayEquals(new int[] {64, 64}, w.get(0).shape());
        assertArrayEquals(new int[] {10}, w.get(3).shape());
    }

    @Test
    void noOrWrongTokenIs401AndChangesNothing() throws Exception {
        start();
        List<TensorData> before = weights();
        List<TensorData> zeros = new ArrayList<>();
        for (TensorData t : before) zeros.add(TensorData.ofFloats(t.name(), t.shape(), new float[t.size()]));
        for (String token : new String[] {null, "wrong", TOKEN + "x", TOKEN.substring(1)}) {
            assertEquals(401, call("PUT", "/v1/weights", encode(zeros), token).statusCode());
            assertEquals(401, call("POST", "/v1/train?steps=5", null, token).statusCode());
            assertEquals(401, call("GET", "/v1/weights", null, token).statusCode());
            assertEquals(401, call("GET", "/v1/describe", null, token).statusCode());
        }
        assertEquals(before, weights());
        assertEquals(0L, describe().get("steps"));
    }

    @Test
    void replacingWeightsTakesThemResetsAndCheckpoints() throws Exception {
        start();
        assertEquals(200, call("POST", "/v1/train?steps=30", null).statusCode()); // builds momentum-free SGD state; steps counted
        List<TensorData> w = weights();
        List<TensorData> changed = new ArrayList<>();
        for (TensorData t : w) {
            float[] v = t.floats().clone();
            for (int i = 0; i < v.length; i++) v[i] = 0.01f * (i % 7) - 0.03f;
            changed.add(TensorData.ofFloats(t.name(), t.shape(), v));
        }
        long checkpointsBefore = daemon.metrics().checkpoints;
        HttpResponse<byte[]> r = call("PUT", "/v1/weights", encode(changed));
        assertEquals(200, r.statusCode(), text(r));
        assertEquals(changed, weights());
        assertEquals(checkpointsBefore + 1, daemon.metrics().checkpoints, "a replacement is checkpointed");
        assertEquals(30, ((org.edgetrain.train.Trainer) daemon.trainer()).optimizer().restartedAt(), "optimizer state restarted at the replacement");
    }

    @Test
    void wrongShapeNonFiniteMissingOrExtraTensorsAreRefusedAndChangeNothing() throws Exception {
        start();
        List<TensorData> before = weights();
        List<List<TensorData>> bad = new ArrayList<>();
        List<TensorData> shape = new ArrayList<>(before);
        shape.set(0, TensorData.ofFloats("0.weight", new int[] {64, 63}, new float[64 * 63]));
        bad.add(shape);
        List<TensorData> nan = new ArrayList<>(before);
        float[] v = before.get(2).floats().clone();
        v[5] = Float.NaN;
        nan.set(2, TensorData.ofFloats("2.weight", before.get(2).shape(), v));
        bad.add(nan);
        List<TensorData> inf = new ArrayList<>(before);
        inf.set(3, TensorData.ofFloats("2.bias", new int[] {10}, new float[] {0, 0, 0, Float.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 0}));
        bad.add(inf);
        bad.add(before.subList(0, 3));
        List<TensorData> extra = new ArrayList<>(before);
        extra.add(TensorData.ofFloats("4.weight", new int[] {2}, new float[2]));
        bad.add(extra);
        for (List<TensorData> b : bad) {
            HttpResponse<byte[]> r = call("PUT", "/v1/weights", encode(b));
            assertEquals(422, r.statusCode(), text(r));
            assertTrue(text(r).startsWith("weights refused, nothing changed: "), text(r));
            assertFalse(text(r).contains("\n"), "one line");
        }
        HttpResponse<byte[]> garbage = call("PUT", "/v1/weights", "not safetensors at all".getBytes());
        assertEquals(400, garbage.statusCode(), text(garbage));
        assertEquals(before, weights());
    }

    @Test
    void trainsOnRequestAndEvaluatesOnTheHeldOutSlice() throws Exception {
        start();
        Map<?, ?> e0 = (Map<?, ?>) Json.parse(text(call("POST", "/v1/evaluate", null)));
        HttpResponse<byte[]> t = call("POST", "/v1/train?steps=400", null);
        assertEquals(200, t.statusCode(), text(t));
        Map<?, ?> tr = (Map<?, ?>) Json.parse(text(t));
        assertEquals(400L, tr.get("steps"));
        assertEquals(1294L, tr.get("train_rows"));
        Map<?, ?> e1 = (Map<?, ?>) Json.parse(text(call("POST", "/v1/evaluate", null)));
        assertEquals(143L, e1.get("rows"));
        double a0 = ((Number) e0.get("accuracy")).doubleValue(), a1 = ((Number) e1.get("accuracy")).doubleValue();
        assertTrue(a1 > 0.85 && a1 > a0 + 0.3, "training helps the held-out accuracy: " + a0 + " -> " + a1);
        assertEquals(400L, describe().get("steps"));
        assertEquals(400, daemon.trainer().steps());
    }

    @Test
    void badRequestsGetAOneLineReason() throws Exception {
        start();
        assertEquals(400, call("POST", "/v1/train", null).statusCode());
        assertEquals(400, call("POST", "/v1/train?steps=5&windows=5", null).statusCode());
        assertEquals(400, call("POST", "/v1/train?steps=-1", null).statusCode());
        assertEquals(400, call("POST", "/v1/train?epochs=1", null).statusCode());
        assertEquals(405, call("GET", "/v1/train?steps=1", null).statusCode());
        assertEquals(404, call("GET", "/v1/nothing", null).statusCode());
        HttpResponse<byte[]> waitFor = call("POST", "/v1/train?windows=3", null);
        assertEquals(200, waitFor.statusCode(), "a finite CSV has ended: the request waits, then reports 0 windows");
    }

    @Test
    void anInt16MemberSendsDequantizedFp32AndTakesFp32Updates() throws Exception {
        start(config(tokenFile("rw-------").toString()).with("engine.precision", "fixed").with("preprocess.standardize", "frozen")
                .with("preprocess.warmup", "200")); // int16 rows live on the standardized scale
        Map<String, Object> d = describe();
        assertEquals("int16", d.get("precision"));
        List<TensorData> w = weights();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), w.stream().map(TensorData::name).toList());
        List<TensorData> changed = new ArrayList<>();
        for (TensorData t : w) {
            float[] v = new float[t.size()];
            for (int i = 0; i < v.length; i++) v[i] = 0.01f * (i % 7) - 0.03f;
            changed.add(TensorData.ofFloats(t.name(), t.shape(), v));
        }
        HttpResponse<byte[]> r = call("PUT", "/v1/weights", encode(changed));
        assertEquals(200, r.statusCode(), text(r));
        List<TensorData> back = weights();
        for (int k = 0; k < back.size(); k++) {
            float[] a = changed.get(k).floats(), b = back.get(k).floats();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-3, "int16 keeps the update up to its grid step");
        }
        assertEquals(200, call("POST", "/v1/train?steps=50", null).statusCode());
        assertEquals(50L, describe().get("steps"));
        // the same model in fp32 is the same fleet: weights travel as fp32
        assertEquals(d.get("fingerprint"), fp32Fingerprint());
    }

    /** int16 velocities of the trainer's checkpoint state, parameter by parameter (weights skipped). */
    private List<int[]> int16Velocities() {
        org.edgetrain.io.Checkpoint c = new org.edgetrain.io.Checkpoint();
        daemon.trainer().saveState(c);
        int[] v = c.ints("trainer.int16");
        List<int[]> out = new ArrayList<>();
        int at = 0;
        for (int size : new int[] {64 * 64, 64, 10 * 64, 10}) {
            at += size; // the weights, then their velocity
            out.add(java.util.Arrays.copyOfRange(v, at, at + size));
            at += size;
        }
        assertEquals(v.length, at);
        return out;
    }

    @Test
    void anInt16MemberWithMomentumForgetsItsVelocityWhenWeightsAreReplacedAndCheckpoints() throws Exception {
        start(config(tokenFile("rw-------").toString()).with("engine.precision", "fixed").with("optimizer.type", "momentum")
                .with("preprocess.standardize", "frozen").with("preprocess.warmup", "200"));
        assertEquals(200, call("POST", "/v1/train?steps=30", null).statusCode());
        assertTrue(int16Velocities().stream().anyMatch(v -> java.util.Arrays.stream(v).anyMatch(x -> x != 0)), "training built momentum");
        long checkpointsBefore = daemon.metrics().checkpoints;
        HttpResponse<byte[]> r = call("PUT", "/v1/weights", encode(weights()));
        assertEquals(200, r.statusCode(), text(r));
        for (int[] v : int16Velocities()) assertTrue(java.util.Arrays.stream(v).allMatch(x -> x == 0), "velocity reset to 0");
        assertEquals(checkpointsBefore + 1, daemon.metrics().checkpoints, "the replacement is checkpointed");
        assertEquals(200, call("POST", "/v1/train?steps=5", null).statusCode(), "and it trains on from the new weights");
    }

    /** Every element of every trainable tensor set to {@code v}. */
    private List<TensorData> filled(List<TensorData> like, float v) {
        List<TensorData> out = new ArrayList<>();
        for (TensorData t : like) {
            float[] f = new float[t.size()];
            java.util.Arrays.fill(f, v);
            out.add(TensorData.ofFloats(t.name(), t.shape(), f));
        }
        return out;
    }

    /** From weights {@code w0}: {@code steps} steps with the given drift correction (null: none); the weights after. */
    private List<TensorData> roundFrom(List<TensorData> w0, int steps, List<TensorData> correction, double[] lrSum, int[] replayRng)
            throws Exception {
        assertEquals(200, call("PUT", "/v1/weights", encode(w0)).statusCode());
        daemon.replay().rng().setState(replayRng); // the same batches each time (the daemon is idle: its file has ended)
        HttpResponse<byte[]> r = call("POST", "/v1/train?steps=" + steps, correction == null ? null : encode(correction));
        assertEquals(200, r.statusCode(), text(r));
        Map<?, ?> m = (Map<?, ?>) Json.parse(text(r));
        assertEquals((long) steps, m.get("steps"));
        lrSum[0] = ((Number) m.get("lr_sum")).doubleValue();
        return weights();
    }

    /**
     * A correction on the output bias alone, the same for every class: the softmax does not see such a shift, so the
     * gradients, hence every other weight, stay as without it, and the bias moves by exactly −lr_sum·correction.
     */
    private void driftCorrectionShiftsTheWeightsByLrSumTimesIt(double biasTolerance, double otherTolerance) throws Exception {
        List<TensorData> w0 = weights();
        double[] lrSum = new double[1];
        int[] replayRng = daemon.replay().rng().state();
        List<TensorData> plain = roundFrom(w0, 5, null, lrSum, replayRng);
        assertEquals(5 * 0.01, lrSum[0], 1e-6, "lr_sum: five steps at the config's lr 0.01");
        List<TensorData> correction = new ArrayList<>(filled(w0, 0f));
        correction.set(3, filled(w0.subList(3, 4), 0.4f).get(0)); // 2.bias
        List<TensorData> corrected = roundFrom(w0, 5, correction, lrSum, replayRng);
        for (int k = 0; k < w0.size(); k++) {
            float[] a = plain.get(k).floats(), b = corrected.get(k).floats();
            boolean bias = k == 3;
            for (int i = 0; i < a.length; i++) {
                assertEquals(bias ? -lrSum[0] * 0.4 : 0, b[i] - a[i], bias ? biasTolerance : otherTolerance, plain.get(k).name() + "[" + i + "]");
            }
        }
        HttpResponse<byte[]> bad = call("POST", "/v1/train?steps=5", encode(w0.subList(0, 2)));
        assertEquals(422, bad.statusCode(), text(bad));
        assertTrue(text(bad).startsWith("drift correction refused, nothing trained: "), text(bad));
        assertEquals(400, call("POST", "/v1/train?steps=5", "garbage".getBytes()).statusCode());
    }

    @Test
    void aDriftCorrectionMovesFp32WeightsByLrTimesItEveryStep() throws Exception {
        start();
        driftCorrectionShiftsTheWeightsByLrSumTimesIt(1e-5, 1e-6);
    }

    @Test
    void aDriftCorrectionMovesInt16WeightsByLrTimesItEveryStep() throws Exception {
        start(config(tokenFile("rw-------").toString()).with("engine.precision", "fixed").with("preprocess.standardize", "frozen")
                .with("preprocess.warmup", "200"));
        driftCorrectionShiftsTheWeightsByLrSumTimesIt(0.002, 0.01); // int16: within its grid and rounding noise
    }

    @Test
    void trainingOnMNewWindowsReturnsOnceTheyArrivedAndWereTrainedOn() throws Exception {
        Path csv = tmp.resolve("growing.csv");
        List<String> lines = Files.readAllLines(Path.of("data/digits-train.csv"));
        Files.write(csv, lines.subList(0, 401)); // the header and 400 rows: 360 in the replay buffer, 40 held out
        ConfigFile f = config(tokenFile("rw-------").toString()).with("source.path", csv.toString()).with("source.follow", "true")
                .with("fleet.train_timeout_s", "600");
        daemon = new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
        loop = new Thread(() -> {
            try {
                daemon.run();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        loop.start();
        for (int i = 0; i < 200 && !(port > 0 && describeOrNull() instanceof Map<?, ?> d && (Long) d.get("train_rows") == 360); i++) {
            Thread.sleep(50);
        }
        assertEquals(360L, describe().get("train_rows"));
        var pending = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/train?windows=50"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Files.write(csv, lines.subList(401, 431), java.nio.file.StandardOpenOption.APPEND); // 30 rows: 27 train, 3 held out
        // the fleet API serves one request at a time: while the train request waits, watch the daemon itself
        for (int i = 0; i < 200 && daemon.windows() < 430; i++) Thread.sleep(50);
        assertEquals(430L, daemon.windows());
        Thread.sleep(300);
        assertFalse(pending.isDone(), () -> "27 of 50 new training windows: the request still waits; it returned " + pendingResult(pending));
        Files.write(csv, lines.subList(431, 1001), java.nio.file.StandardOpenOption.APPEND); // 570 more
        HttpResponse<String> r = pending.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.body().strip());
        long windows = (Long) m.get("windows"), steps = (Long) m.get("steps");
        assertTrue(windows >= 55, "50 training windows and their held-out share arrived: " + windows);
        assertEquals(50L, steps, "one step per new training window (step_every 1), none after the 50th");
        for (int i = 0; i < 100 && (Long) describe().get("windows") < 1000; i++) Thread.sleep(50);
        assertEquals(1000L, describe().get("windows"), "the daemon reads on");
        assertEquals(50L, describe().get("steps"), "but trains only when the fleet asks");
    }

    private static String pendingResult(java.util.concurrent.CompletableFuture<HttpResponse<String>> f) {
        try {
            HttpResponse<String> r = f.getNow(null);
            return r == null ? "nothing" : r.statusCode() + " " + r.body();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private Object describeOrNull() {
        try {
            return describe();
        } catch (IOException | InterruptedException | AssertionError e) {
            return null;
        }
    }

    private Object fp32Fingerprint() throws Exception {
        ConfigFile f = config(tmp.resolve("fleet.token").toString());
        Daemon other = new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
        return other.fleetFingerprint();
    }

    @Test
    void refusesATokenFileOthersCanRead() throws Exception {
        ConfigFile f = config(tokenFile("rw-r--r--").toString());
        Daemon d = new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
        BadInputException e = assertThrows(BadInputException.class, d::run);
        assertTrue(e.getMessage().contains("readable or writable by group or others"), e.getMessage());
        ConfigFile noFile = ConfigFile.parse("t.conf", "[fleet]\nport = 9000\n");
        assertThrows(BadInputException.class, () -> new DaemonConfig(noFile, null));
    }
}
