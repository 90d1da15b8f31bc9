package org.edgetrain.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place that names the platform, as the build (scripts/build-native.sh) and the jar's resources do:
 * {@code linux-x86_64}, {@code linux-aarch64}, {@code linux-armhf}. Also reads the CPU features the native library
 * needs (x86-64: AVX2 and FMA; 32-bit ARM: NEON with VFPv4), so a CPU without them falls back to Java instead of
 * dying of an illegal instruction.
 */
public final class Platform {
    private Platform() {
    }

    /** {@code linux-<arch>} for the running JVM, or null where no library is built (another OS or architecture). */
    public static String current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static String of(String osName, String osArch) {
        if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("linux")) return null;
        String arch = architecture(osArch);
        return arch == null ? null : "linux-" + arch;
    }

    /** Maps Java's os.arch to the build's names: x86_64, aarch64, armhf; null if unsupported. */
    static String architecture(String osArch) {
        if (osArch == null) return null;
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "armv7l", "armv7", "armhf", "aarch32" -> "armhf";
            default -> null;
        };
    }

    /** The resource path of the library inside the jar. */
    public static String resource(String platform) {
        return "/native/" + platform + "/libedgetrain.so";
    }

    /**
     * Null when this CPU can run the platform's library, else the reason it cannot (from /proc/cpuinfo's flags).
     * An unreadable cpuinfo is not a reason to refuse: the library is tried.
     */
    static String missingCpuFeatures(String platform) {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return missingCpuFeatures(platform, cpuinfo);
    }

    static String missingCpuFeatures(String platform, String cpuinfo) {
        String flags = " " + cpuinfo.toLowerCase(Locale.ROOT).replace('\n', ' ').replace('\t', ' ') + " ";
        if ("linux-x86_64".equals(platform)) {
            if (!flags.contains(" avx2 ") || !flags.contains(" fma ")) return "this x86-64 CPU lacks AVX2/FMA, which the library is built for";
        } else if ("linux-armhf".equals(platform)) {
            if (!flags.contains(" neon ")) return "this ARM CPU has no NEON (e.g. ARMv6, Pi Zero/1)";
            if (!flags.contains(" vfpv4 ")) return "this ARM CPU lacks VFPv4 (fused multiply-add), which the library is built for";
        }
        return null;
    }
}
