package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {
    /** The lines as the kernel writes them: tabs in /proc/self/status, runs of spaces in smaps_rollup. */
    @Test
    void readsTheKilobytesOfAProcLine() {
        assertEquals(48_000L * 1024, ProcessMemory.kb("VmRSS:\t   48000 kB"));
        assertEquals(44_541L * 1024, ProcessMemory.kb("Pss:               44541 kB"));
        assertEquals(0, ProcessMemory.kb("RssAnon:\t       0 kB"));
        assertThrows(NumberFormatException.class, () -> ProcessMemory.kb("VmRSS:"));
    }

    /** On Linux (this machine, the boards) every figure is known, and resident memory holds the private part. */
    @Test
    void readsThisProcess() {
        ProcessMemory m = ProcessMemory.read();
        assertTrue(m.rss() > 0 && m.rssAnon() > 0 && m.rssAnon() <= m.rss(), m.toString());
        assertTrue(m.pss() > 0, m.toString());
    }
}
