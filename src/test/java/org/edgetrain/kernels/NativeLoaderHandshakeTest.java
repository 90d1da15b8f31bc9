package org.edgetrain.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native loader's version handshake: the library reports the JNI interface it was built for and only a match is
 * used; a copy on java.library.path that differs from the jar's is not loaded; an extracted copy is reused only when
 * its hash matches. A JVM loads one libedgetrain.so for good, so the stale and foreign cases run in a child JVM, the
 * way a user meets them: a CLI command with --kernels native.
 */
class NativeLoaderHandshakeTest {
    static final boolean CI = System.getenv("CI") != null;

    @TempDir
    Path dir;

    @Test
    void theHeaderAndTheJavaClassDeclareTheSameInterface() throws IOException {
        Matcher m = Pattern.compile("#define ET_JNI_ABI (\\d+)").matcher(Files.readString(Path.of("native/include/edgetrain_kernels.h")));
        assertTrue(m.find(), "ET_JNI_ABI in native/include/edgetrain_kernels.h");
        assertEquals(NativeKernels.ABI, Integer.parseInt(m.group(1)), "bump NativeKernels.ABI and ET_JNI_ABI together");
    }

    @Test
    void theLoadedLibraryReportsTheInterfaceThisJarDeclares() {
        NativeLibrary.Result lib = needNative();
        assertTrue(lib.ok(), lib.reason());
        assertEquals(NativeKernels.ABI, NativeKernels.abiVersion());
    }

    @Test
    void aStaleLibraryWithoutTheHandshakeIsRefusedWithALineThatSaysSo() throws Exception {
        Path stale = compileStaleLibrary();
        Child c = child("-D" + NativeLibrary.PATH_PROPERTY + "=" + stale);
        assertEquals(2, c.exit, c.output);
        assertTrue(c.output.contains(stale + " was built for JNI interface 1 (it predates the version handshake), this edgetrain needs "
                + NativeKernels.ABI), c.output);
    }

    @Test
    void aSystemCopyThatDiffersFromTheJarsIsNotLoaded() throws Exception {
        needNative();
        // a foreign file where java.library.path points stands in for an older install's library
        Path foreign = dir.resolve("lib");
        Files.createDirectories(foreign);
        Files.write(foreign.resolve("libedgetrain.so"), "not this jar's library".getBytes(StandardCharsets.US_ASCII));
        Child c = child("-Djava.library.path=" + foreign, "-D" + NativeLibrary.CACHE_PROPERTY + "=" + dir.resolve("cache"));
        assertEquals(0, c.exit, c.output);
        assertTrue(c.output.contains(foreign.resolve("libedgetrain.so") + " differs from this jar's"), c.output);
        assertTrue(c.output.contains("kernels native ("), c.output);
    }

    @Test
    void anExtractedCopyIsReusedOnlyWhenItEqualsTheJarsBytes() throws Exception {
        String before = System.getProperty(NativeLibrary.CACHE_PROPERTY);
        System.setProperty(NativeLibrary.CACHE_PROPERTY, dir.toString());
        try {
            byte[] lib = "pretend library bytes, 38 of them....".getBytes(StandardCharsets.US_ASCII);
            Path first = NativeLibrary.extract(lib);
            assertArrayEquals(lib, Files.readAllBytes(first));
            byte[] altered = lib.clone();
            altered[5] ^= 1; // same size, different bytes: a damaged or tampered copy
            Files.write(first, altered);
            Path second = NativeLibrary.extract(lib);
            assertEquals(first, second);
            assertArrayEquals(lib, Files.readAllBytes(second), "rewritten from the jar's bytes");
        } finally {
            if (before == null) System.clearProperty(NativeLibrary.CACHE_PROPERTY);
            else System.setProperty(NativeLibrary.CACHE_PROPERTY, before);
        }
    }

    private static NativeLibrary.Result needNative() {
        NativeLibrary.Result lib = NativeLibrary.load();
        if (CI) assertTrue(lib.ok(), "CI builds the native library for this platform, but it did not load: " + lib.reason());
        Assumptions.assumeTrue(lib.ok(), "native library not available here");
        return lib;
    }

    /** A libedgetrain.so as an install before the handshake had it: buildDescription, no abiVersion. */
    private Path compileStaleLibrary() throws Exception {
        Path src = dir.resolve("stale.c"), so = dir.resolve("libstale.so");
        Files.writeString(src, "#include <jni.h>\nJNIEXPORT jstring JNICALL Java_org_edgetrain_kernels_NativeKernels_buildDescription"
                + "(JNIEnv *env, jclass cls) { (void)cls; return (*env)->NewStringUTF(env, \"stale\"); }\n");
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path include = Files.isDirectory(javaHome.resolve("include")) ? javaHome.resolve("include") : javaHome.getParent().resolve("include");
        ProcessBuilder pb = new ProcessBuilder("gcc", "-shared", "-fPIC", "-I" + include, "-I" + include.resolve("linux"), "-o", so.toString(),
                src.toString()).redirectErrorStream(true);
        int rc;
        String out;
        try {
            Process p = pb.start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            rc = p.waitFor();
        } catch (IOException e) {
            rc = -1;
            out = e.getMessage();
        }
        if (rc != 0) {
            if (CI) fail("gcc and the JDK's jni.h build the stand-in stale library in CI: " + out);
            Assumptions.abort("cannot build the stand-in stale library here: " + out);
        }
        return so;
    }

    private record Child(int exit, String output) { }

    /** {@code edgetrain train --epochs 0 --kernels native} in a child JVM with the given system properties. */
    private Child child(String... props) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(props));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "train", "--config", "examples/digits.conf",
                "--train", "data/digits-train.csv", "--epochs", "0", "--out", dir.resolve("m.etm").toString(), "--kernels", "native"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("child JVM did not finish in 2 minutes");
        }
        return new Child(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
