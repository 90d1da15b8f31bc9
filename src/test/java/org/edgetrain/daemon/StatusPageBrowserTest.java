package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (Debian's headless Chromium) while the daemon trains as a process: a screenshot,
 * the loss curve's SVG path mapped back to values and compared with the losses the daemon logged, and the training
 * speed with a browser reloading the page every second against without (measured and printed, not asserted: a
 * wall-clock limit would fail on a busy machine). Without Chromium the test is skipped, except under CI=true where
 * it fails (.ci/run installs it).
 */
class StatusPageBrowserTest {
    @TempDir
    Path tmp;

    static final int LOG_EVERY = 64;

    private static Path chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(c))) return Path.of(c);
        }
        if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI=true and no Chromium: .ci/run installs Debian's chromium");
        Assumptions.abort("no Chromium here (Debian: apt-get install chromium)");
        return null;
    }

    private List<String> browser(Path chromium, String... args) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("chromium-" + System.nanoTime())));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long steps(int port) throws IOException {
        String m = StatusServerTest.get(port, "/metrics");
        Matcher x = Pattern.compile("\nedgetrain_steps_total (\\d+)\n").matcher(m);
        if (!x.find()) throw new AssertionError(m);
        return Long.parseLong(x.group(1));
    }

    /** Steps per second over {@code seconds}, read from /metrics. */
    private static double rate(int port, int seconds) throws Exception {
        long s0 = steps(port), t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long s1 = steps(port), t1 = System.nanoTime();
        return (s1 - s0) / ((t1 - t0) / 1e9);
    }

    @Test
    void thePageInChromiumShowsTheLoggedLossesAndAReloadingBrowserBarelySlowsTraining() throws Exception {
        Path chromium = chromium();
        int port = freePort();
        Path config = tmp.resolve("d.conf");
        Files.writeString(config, DaemonTest.CONFIG.replace("log_every = 100", "log_every = " + LOG_EVERY)
                .replace("eval_every = 100", "eval_every = " + LOG_EVERY).replace("checkpoint_every = 250", "checkpoint_every = 500")
                + "status_port = " + port + "\n");
        Path state = tmp.resolve("state");
        Path log = state.resolve("logs").resolve("edgetrain.log");
        Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--config", config.toString(), "--state-dir",
                state.toString(), "--kernels", "java").redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.out").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (loggedLosses(log).size() < 8) {
                assertTrue(daemon.isAlive(), "the daemon stopped: " + Files.readString(tmp.resolve("daemon.out")));
                assertTrue(System.nanoTime() < deadline, "no 8 log lines within 120 s");
                Thread.sleep(200);
            }
            // what the browser shows: the DOM after load, and a screenshot
            Path png = Path.of("target", "status-page.png").toAbsolutePath();
            Files.createDirectories(png.getParent());
            Files.deleteIfExists(png);
            String url = "http://127.0.0.1:" + port + "/?refresh=0";
            Process shot = new ProcessBuilder(browser(chromium, "--window-size=1320,1500", "--screenshot=" + png, url))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("shot.log").toFile()).start();
            assertTrue(shot.waitFor(120, TimeUnit.SECONDS), "chromium --screenshot hung");
            assertTrue(Files.exists(png) && Files.size(png) > 20_000, "screenshot " + png + ": " + Files.readString(tmp.resolve("shot.log")));
            Process dump = new ProcessBuilder(browser(chromium, "--dump-dom", url)).redirectError(tmp.resolve("dump.log").toFile()).start();
            String dom = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dump.waitFor(120, TimeUnit.SECONDS), "chromium --dump-dom hung");
            assertTrue(dom.contains("<h1>edgetrain"), "the browser rendered the page: " + dom.substring(0, Math.min(400, dom.length())));

            Map<Long, Double> logged = loggedLosses(log);
            Chart loss = Chart.parse(dom, "Loss");
            double[][] train = loss.series("training loss");
            assertTrue(train[0].length > 8, "the training loss path has points");
            assertTrue(loss.series("held-out loss")[0].length > 2, "the held-out loss path has points");
            assertTrue(Chart.parse(dom, "Anomaly score").series("score (max per point)")[0].length > 8, "the score path has points");
            int compared = 0;
            double tolerance = 0.002 * (loss.yMax - loss.yMin) + 1e-9;
            // Each plotted point ends a bucket (previous point's step, its step]. Buckets end at multiples of their
            // stride, so a bucket no wider than a log interval lies inside one (its points are averaged and compared
            // with that log line), and a wider one spans whole log intervals (compared with the mean of their lines).
            Map<Long, double[]> inside = new java.util.TreeMap<>(); // log interval end -> {sum, n}
            for (int i = 0; i < train[0].length; i++) {
                long to = Math.round(train[0][i]), from = i == 0 ? 0 : Math.round(train[0][i - 1]);
                if (to - from <= LOG_EVERY) {
                    long end = (to + LOG_EVERY - 1) / LOG_EVERY * LOG_EVERY;
                    double[] acc = inside.computeIfAbsent(end, k -> new double[2]);
                    acc[0] += train[1][i];
                    acc[1]++;
                    continue;
                }
                if (from % LOG_EVERY != 0 || to % LOG_EVERY != 0) continue;
                double logSum = 0;
                int logs = 0;
                for (long end = from + LOG_EVERY; end <= to && logged.containsKey(end); end += LOG_EVERY) {
                    logSum += logged.get(end);
                    logs++;
                }
                if (logs != (to - from) / LOG_EVERY) continue; // a log line of this bucket not written yet
                double expected = logSum / logs;
                assertTrue(Math.abs(train[1][i] - expected) <= tolerance + 1e-4 * Math.abs(expected),
                        String.format(Locale.ROOT, "steps %d..%d (one bucket): logged loss %.6g, plotted %.6g", from + 1, to, expected, train[1][i]));
                compared++;
            }
            for (Map.Entry<Long, double[]> e : inside.entrySet()) {
                long to = e.getKey();
                Double expected = logged.get(to);
                if (expected == null || to > Math.round(loss.xMax) - LOG_EVERY) continue; // logged after the page, or not whole yet
                double plotted = e.getValue()[0] / e.getValue()[1];
                assertTrue(Math.abs(plotted - expected) <= tolerance + 1e-4 * Math.abs(expected),
                        String.format(Locale.ROOT, "steps %d..%d: logged loss %.6g, plotted %.6g", to - LOG_EVERY + 1, to, expected, plotted));
                compared++;
            }
            assertTrue(compared >= 6, "log lines compared with the plot: " + compared);

            // speed: 10 s without a browser, then 10 s with one reloading the page every second (one run, printed)
            double without = rate(port, 10);
            long servedBefore = steps(port);
            Process polling = new ProcessBuilder(browser(chromium, "--remote-debugging-port=0", "http://127.0.0.1:" + port + "/?refresh=1"))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("poll.log").toFile()).start();
            double with;
            try {
                Thread.sleep(3000); // the browser up and loading
                with = rate(port, 10);
            } finally {
                polling.descendants().forEach(ProcessHandle::destroy);
                polling.destroy();
                polling.waitFor(20, TimeUnit.SECONDS);
            }
            assertTrue(steps(port) > servedBefore, "the daemon kept training while the page was polled");
            // the server's own share: a plain client fetching the page every second (no rendering on this machine)
            Thread fetcher = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        StatusServerTest.get(port, "/");
                        Thread.sleep(1000);
                    }
                } catch (InterruptedException | IOException e) {
                    // stopped
                }
            });
            fetcher.start();
            double fetched;
            try {
                fetched = rate(port, 10);
            } finally {
                fetcher.interrupt();
                fetcher.join(5000);
            }
            double again = rate(port, 10);
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) StatusServerTest.get(port, "/");
            double msPerPage = (System.nanoTime() - t0) / 50 / 1e6;
            System.out.printf(Locale.ROOT, "status page: %.0f steps/s without a browser, %.0f with Chromium reloading it every second (%+.1f%%), "
                    + "%.0f with a plain client fetching it every second (%+.1f%%), %.0f without again; page %d bytes, %.1f ms per page "
                    + "(made and fetched back to back, 50 times); screenshot %s%n",
                    without, with, 100 * (with - without) / without, fetched, 100 * (fetched - without) / without, again,
                    StatusServerTest.get(port, "/").length(), msPerPage, png);
            assertFalse(Files.readString(log).contains("status endpoint stopped"), "the status server ran throughout");
        } finally {
            daemon.destroy(); // SIGTERM: final checkpoint, exit
            daemon.waitFor(30, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
    }

    /** step -> loss of each {@code step=N loss=L} line in the daemon's log. */
    static Map<Long, Double> loggedLosses(Path log) throws IOException {
        Map<Long, Double> m = new LinkedHashMap<>();
        if (!Files.exists(log)) return m;
        Matcher x = Pattern.compile("step=(\\d+) loss=([0-9.eE+-]+) ").matcher(Files.readString(log, StandardCharsets.UTF_8));
        while (x.find()) m.put(Long.parseLong(x.group(1)), Double.parseDouble(x.group(2)));
        return m;
    }

    /** One chart of the page: its data range and plot box from its attributes, its paths mapped back to data. */
    static final class Chart {
        final String svg;
        final double xMin, xMax, yMin, yMax, left, right, top, bottom;

        private Chart(String svg) {
            this.svg = svg;
            xMin = attr("data-x-min");
            xMax = attr("data-x-max");
            yMin = attr("data-y-min");
            yMax = attr("data-y-max");
            left = attr("data-left");
            right = attr("data-right");
            top = attr("data-top");
            bottom = attr("data-bottom");
        }

        static Chart parse(String dom, String label) {
            int i = dom.indexOf("aria-label=\"" + label + "\"");
            assertTrue(i > 0, "chart " + label + " on the page");
            int start = dom.lastIndexOf("<svg", i);
            return new Chart(dom.substring(start, dom.indexOf("</svg>", i)));
        }

        private double attr(String name) {
            Matcher m = Pattern.compile(name + "=\"([^\"]+)\"").matcher(svg);
            assertTrue(m.find(), name);
            return Double.parseDouble(m.group(1));
        }

        /** {xs, ys} of the named series' path. */
        double[][] series(String name) {
            Matcher m = Pattern.compile("data-name=\"" + Pattern.quote(name) + "\"[^>]* d=\"([^\"]*)\"").matcher(svg);
            assertTrue(m.find(), "series " + name);
            String d = m.group(1);
            assertFalse(d.isEmpty(), "path of " + name + " is empty");
            String[] pts = d.substring(1).split("L");
            double[][] r = new double[2][pts.length];
            for (int k = 0; k < pts.length; k++) {
                String[] xy = pts[k].split(",");
                r[0][k] = xMin + (Double.parseDouble(xy[0]) - left) / (right - left) * (xMax - xMin);
                r[1][k] = yMin + (bottom - Double.parseDouble(xy[1])) / (bottom - top) * (yMax - yMin);
            }
            return r;
        }
    }
}
