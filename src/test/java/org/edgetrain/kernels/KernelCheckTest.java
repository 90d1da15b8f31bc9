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

    @Test
    void timeLayerKernelsOffAtAnEdgeAreNamedWithTheirShape() {
        Kernels padding = new ForwardingKernels() {
            @Override
            public void conv1dForward(float[] a, int x, int w, int b, int y, int pack, int batch, int inTime, int inCh, int outTime, int outCh,
                                      int kernel, int stride, int dilation, int padLeft) {
                super.conv1dForward(a, x, w, b, y, pack, batch, inTime, inCh, outTime, outCh, kernel, stride, dilation, padLeft);
                if (padLeft > 0 && dilation > 1) a[y] += 1e-3f; // a bug in the first padded step, only when dilated
            }
        };
        List<String> failures = new KernelCheck(new JavaKernels(), padding).runTimeLayers();
        assertFalse(failures.isEmpty());
        assertTrue(failures.get(0).startsWith("conv1dForward batch=1 time="), failures.get(0));
        assertTrue(failures.get(0).contains(" d=2 pad="), failures.get(0));

        Kernels ties = new ForwardingKernels() {
            @Override
            public void maxPool1dForward(float[] a, int x, int y, int arg, int batch, int inTime, int ch, int outTime, int kernel, int stride) {
                super.maxPool1dForward(a, x, y, arg, batch, inTime, ch, outTime, kernel, stride);
                for (int i = 0; i < batch * outTime * ch; i++) {
                    int t = i / ch % outTime, c = i % ch, n = i / (ch * outTime), best = (int) a[arg + i];
                    for (int k = best + 1; k < t * stride + kernel; k++) { // the last maximum wins a tie instead of the first
                        if (a[x + (n * inTime + k) * ch + c] == a[y + i]) a[arg + i] = k;
                    }
                }
            }
        };
        assertTrue(new KernelCheck(new JavaKernels(), ties).runTimeLayers().stream().anyMatch(f -> f.startsWith("maxPool1dForward")), "ties");

        Kernels gates = new ForwardingKernels() {
            @Override
            public void gruGatesBackward(float[] a, int gate, int gh, int hPrev, int dh, int dgx, int dgxStride, int dgh, int batch,
                                         int hidden) {
                super.gruGatesBackward(a, gate, gh, hPrev, dh, dgx, dgxStride, dgh, batch, hidden);
                if (batch > 1) a[dgx + dgxStride + 3 * hidden - 1] = 0f; // the second row's last n-gate gradient lost
            }
        };
        List<String> g = new KernelCheck(new JavaKernels(), gates).runTimeLayers();
        assertTrue(!g.isEmpty() && g.get(0).startsWith("gruGatesBackward batch=2"), g.toString());
    }
}
