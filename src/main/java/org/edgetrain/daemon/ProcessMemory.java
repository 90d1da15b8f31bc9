package org.edgetrain.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's memory as the kernel counts it: resident (VmRSS), private anonymous (RssAnon: heap, stacks, the JIT's
 * memory, what no other process can share) and proportional (Pss: shared pages divided among their users), in bytes;
 * -1 where the kernel does not tell (not Linux, or no smaps_rollup before Linux 4.14). Read when asked, never per step.
 */
public record ProcessMemory(long rss, long rssAnon, long pss) {
    public static ProcessMemory read() {
        long rss = -1, anon = -1, pss = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) rss = kb(l);
                else if (l.startsWith("RssAnon:")) anon = kb(l);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the figures stay unknown
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps_rollup"));
            for (String l : lines) if (l.startsWith("Pss:")) pss = kb(l);
        } catch (IOException | RuntimeException e) {
            // older kernels: Pss unknown
        }
        return new ProcessMemory(rss, anon, pss);
    }

    /** "VmRSS:    48000 kB" -> bytes. */
    private static long kb(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]) * 1024;
    }
}
