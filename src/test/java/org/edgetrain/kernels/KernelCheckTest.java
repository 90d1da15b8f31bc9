package org.edgetrain.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker selftest runs on a board: silent on a correct implementation, loud and specific on a wrong one. */
class KernelCheckTest {
    @Test
    void theReferenceMatchesItself() {
        KernelCheck c = new KernelCheck(new JavaKernels(), new JavaKernels());
        assertEquals(List.of(), c.run());
        assertTrue(c.checks() > 100_000, "checks " + c.checks());
    }

    @Test
    void aKernelOffInOneRemainderColumnIsNamedWithItsShape() {
        Kernels broken = new ForwardingKernels() {
            @Override
            public void denseForward(float[] a, int x, int w, int b, int y, int batch, int in, int out) {
                super.denseForward(a, x, w, b, y, batch, in, out);
                if (out % 4 == 3 && batch == 5) a[y + out - 1] *= 1.0001f; // a last-column bug, only in one tile remainder
            }
        };
        List<String> failures = new KernelCheck(new JavaKernels(), broken).run();
        assertFalse(failures.isEmpty());
        assertTrue(failures.get(0).startsWith("denseForward batch=5 in="), failures.get(0));
    }

    @Test
    void writingOutsideTheOutputIsCaught() {
        Kernels sloppy = new ForwardingKernels() {
            @Override
            public void leakyReluForward(float[] a, int x, int y, int n, float slope) {
                super.leakyReluForward(a, x, y, n, slope);
                a[y + n] = 0f; // one past the end
            }
        };
        List<String> failures = new KernelCheck(new JavaKernels(), sloppy).run();
        assertTrue(failures.stream().anyMatch(f -> f.startsWith("leakyReluForward n=1: wrote outside its output")), failures.toString());
    }
}
