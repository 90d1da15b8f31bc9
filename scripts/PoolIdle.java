import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The native worker pool's cost while idle (issue 16): one product large enough for the pool, then 10 ms of sleep (a
 * step at 100 Hz), GAPS times; prints each thread's share of one core from /proc (the worker is the last "java" thread:
 * a pthread the JVM did not name). Single-file program, no build step:
 *   java -cp target/edgetrain.jar scripts/PoolIdle.java [GAPS=1000] [BATCH=16 IN=96 OUT=512]
 * -Dedgetrain.native.path=/path/libedgetrain.so compares another build of the library.
 */
public class PoolIdle {
    static long ticks(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    public static void main(String[] a) throws Exception {
        int gaps = a.length > 0 ? Integer.parseInt(a[0]) : 1000;
        int batch = a.length > 3 ? Integer.parseInt(a[1]) : 16, in = a.length > 3 ? Integer.parseInt(a[2]) : 96, out = a.length > 3 ? Integer.parseInt(a[3]) : 512;
        var k = org.edgetrain.kernels.KernelLoader.load("native", 2);
        float[] arr = new float[batch * in + out * in + out + batch * out];
        int x = 0, w = batch * in, b = w + out * in, y = b + out;
        for (int i = 0; i < 2000; i++) k.denseForward(arr, x, w, b, y, batch, in, out); // JIT warm-up
        Map<String, Long> t0 = new HashMap<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) t0.put(t.getFileName().toString(), ticks(t.resolve("stat")));
        }
        long start = System.nanoTime();
        for (int i = 0; i < gaps; i++) {
            k.denseForward(arr, x, w, b, y, batch, in, out);
            Thread.sleep(10);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        List<String> rows = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                long d = ticks(t.resolve("stat")) - t0.getOrDefault(t.getFileName().toString(), 0L);
                if (d > 0) rows.add(String.format("%s %s %.1f %%", t.getFileName(), Files.readString(t.resolve("comm")).strip(), 100.0 * d / 100 / secs));
            }
        }
        System.out.printf("pool-idle: %d products [%dx%dx%d] 10 ms apart over %.1f s (%s); threads with CPU time: %s%n", gaps, batch, in, out, secs,
                System.getProperty("edgetrain.native.path", "the jar's library"), rows);
    }
}
