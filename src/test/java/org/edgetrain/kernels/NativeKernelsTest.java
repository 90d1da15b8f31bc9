package org.edgetrain.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native kernels against the Java reference on edge shapes, directly and through the size dispatch, and the
 * threaded products bit for bit against single-threaded. Where the build produced a library (always in CI, where
 * {@code CI=true} makes a missing library a failure, not a skip) these must pass.
 */
class NativeKernelsTest {
    static NativeLibrary.Result lib;

    @BeforeAll
    static void load() {
        lib = NativeLibrary.load();
        if (System.getenv("CI") != null) {
            assertTrue(lib.ok(), "CI builds the native library for this platform, but it did not load: " + lib.reason());
        }
        assumeTrue(lib.ok(), "native library not available here: " + (lib.ok() ? "" : lib.reason()));
    }

    @Test
    void everyNativeKernelMatchesJavaOnEdgeShapes() {
        KernelCheck check = new KernelCheck(new JavaKernels(), KernelLoader.directNative());
        List<String> failures = check.run();
        assertEquals(List.of(), failures, String.join("\n", check.summary()));
    }

    @Test
    void theSizeDispatchAndTheThreadsStillMatchJava() {
        NativeKernels threaded = (NativeKernels) KernelLoader.load("native", 3);
        assertEquals(List.of(), new KernelCheck(new JavaKernels(), threaded).run());
    }

    @Test
    void threadedProductsAreBitIdenticalToSingleThreaded() {
        for (int threads : new int[] {2, 3, 4}) {
            NativeKernels k = (NativeKernels) KernelLoader.load("native", threads);
            assertEquals(threads, k.threads());
            assertEquals(List.of(), KernelLoader.checkThreadsBitIdentical(k), threads + " threads");
        }
    }

    @Test
    void describesWhatItWasBuiltFor() {
        NativeKernels k = (NativeKernels) KernelLoader.load("native", 1);
        String d = k.description();
        String platform = Platform.current();
        assertTrue(platform.equals("linux-x86_64") ? d.startsWith("x86-64") : d.contains("neon"), d);
        assertTrue(NativeKernels.peakGflops(50) > 0.1);
    }
}
