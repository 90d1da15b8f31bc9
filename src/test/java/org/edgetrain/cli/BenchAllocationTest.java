package org.edgetrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code bench} prints the heap bytes a training step allocates as an exact 0 (fp32 and fixed point), even after a
 * warm-up far too short for the JIT to settle: its tier changes allocate in HotSpot's runtime, not in the step.
 */
class BenchAllocationTest {
    @Test
    void benchReportsExactlyZeroBytesPerStepAfterAShortWarmUp() {
        CliRunner r = CliRunner.run("bench", "--seconds", "0.05", "--kernels", "java", "--cases", "64-128-64-10/32");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        int rows = 0, allocEnd = -1;
        for (String line : r.out().split("\n")) {
            // the tables are right-aligned: the allocation cell ends where its header ends (other columns may follow)
            if (line.contains("alloc B/step")) allocEnd = line.indexOf("alloc B/step") + "alloc B/step".length();
            if (line.startsWith("64-128-64-10 ")) {
                rows++;
                assertTrue(allocEnd > 0 && line.length() >= allocEnd, "an alloc B/step column above: " + line + "\n" + r.out());
                String[] cells = line.substring(0, allocEnd).trim().split("\\s+");
                assertEquals("0", cells[cells.length - 1], "alloc B/step in: " + line + "\n" + r.out());
            }
        }
        assertTrue(rows == 2, "an fp32 row and a fixed-point row:\n" + r.out());
    }
}
