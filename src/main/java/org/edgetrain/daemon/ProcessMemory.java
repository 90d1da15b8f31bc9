package org.edgetrain.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's memory as the kernel counts it: resident (VmRSS), private anonymous (RssAnon: heap, stacks, the JIT's
 * memory, what no other process can share) and proportional (Pss: shared pages divided among their users), in bytes;
 * -1 where the kernel does not tell (not Linux, or no smaps_rollup before Linux 4.14). Read when asked, never per step.
 * Pss is at most {@value #PSS_MAX_AGE_NANOS} ns old: to sum it the kernel walks every mapping of the process under
 * the memory map's lock (measured 12-75 ms for a JVM here, against 1.5 ms for /proc/self/status), which a scraper
 * polling every second must not cost the training thread.
 */
public record ProcessMemory(long rss, long rssAnon, long pss) {
    static final long PSS_MAX_AGE_NANOS = 30_000_000_000L;
    private static volatile long lastPss = -1, lastPssAt;
    private static volatile boolean pssRead;

    public static ProcessMemory read() {
        long rss = -1, anon = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) rss = kb(l);
                else if (l.startsWith("RssAnon:")) anon = kb(l);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the figures stay unknown
        }
        long now = System.nanoTime();
        if (!pssRead || now - lastPssAt > PSS_MAX_AGE_NANOS) {
            long pss = -1;
            try {
                List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps_rollup"));
                for (String l : lines) if (l.startsWith("Pss:")) pss = kb(l);
            } catch (IOException | RuntimeException e) {
                // older kernels: Pss unknown
            }
            lastPss = pss;
            lastPssAt = now;
            pssRead = true;
        }
        return new ProcessMemory(rss, anon, lastPss);
    }

    /**
     * "VmRSS:    48000 kB" -> bytes: the digits after the colon, scanned by hand (a {@code split("\\s+")} here compiled
     * the daemon's only regex, ~100 classes with the lambda machinery it bootstraps, at its first log line).
     */
    static long kb(String line) {
        int i = line.indexOf(':') + 1;
        while (i < line.length() && !Character.isDigit(line.charAt(i))) i++;
        int start = i;
        while (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        if (start == i) throw new NumberFormatException("no number in '" + line + "'");
        return Long.parseLong(line.substring(start, i)) * 1024;
    }
}
