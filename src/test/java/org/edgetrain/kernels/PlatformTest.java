package org.edgetrain.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void javaArchitectureNamesMapToTheBuildsNames() {
        assertEquals("linux-x86_64", Platform.of("Linux", "amd64"));
        assertEquals("linux-aarch64", Platform.of("Linux", "aarch64"));
        assertEquals("linux-armhf", Platform.of("Linux", "arm"));
        assertNull(Platform.of("Mac OS X", "aarch64"));
        assertNull(Platform.of("Linux", "riscv64"));
        assertEquals("/native/linux-aarch64/libedgetrain.so", Platform.resource("linux-aarch64"));
    }

    @Test
    void cpusWithoutTheNeededFeaturesAreRefusedWithAReason() {
        assertNull(Platform.missingCpuFeatures("linux-x86_64", "flags\t: fpu sse2 avx avx2 fma bmi2\n"));
        assertTrue(Platform.missingCpuFeatures("linux-x86_64", "flags\t: fpu sse2 avx\n").contains("AVX2/FMA"));
        assertNull(Platform.missingCpuFeatures("linux-armhf", "Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva\n"));
        assertTrue(Platform.missingCpuFeatures("linux-armhf", "Features\t: half thumb fastmult vfp edsp java tls\n").contains("no NEON"));
        assertNull(Platform.missingCpuFeatures("linux-aarch64", "Features\t: fp asimd evtstrm crc32\n"));
    }
}
