package org.edgetrain.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NativeLibrary reads the library from its own jar or classes folder directly, with what the class loader would give. */
class OwnResourceTest {
    @TempDir
    Path tmp;

    @Test
    void readsFromTheClassesFolderWhatTheClassLoaderReads() throws Exception {
        String resource = "/org/edgetrain/kernels/NativeLibrary.class"; // always there, native build or not
        byte[] want;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            want = in.readAllBytes();
        }
        assertArrayEquals(want, NativeLibrary.ownResource(resource));
        assertNull(NativeLibrary.ownResource("/native/linux-none/libedgetrain.so"));
    }

    /** Loaded from a jar (as the daemon runs), the class finds an entry of that jar, compressed or not, and no other. */
    @Test
    void readsAnEntryOfItsOwnJar() throws Exception {
        Path classes = Path.of(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "tests run from the classes folder: " + classes);
        byte[] blob = new byte[100_000];
        for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 31 / 7);
        Path jar = tmp.resolve("own.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.list(classes.resolve("org/edgetrain/kernels"))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    out.putNextEntry(new JarEntry("org/edgetrain/kernels/" + f.getFileName()));
                    out.write(Files.readAllBytes(f));
                }
            }
            out.putNextEntry(new JarEntry("native/linux-test/libedgetrain.so"));
            out.write(blob);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> c = loader.loadClass(NativeLibrary.class.getName());
            assertTrue(c != NativeLibrary.class, "loaded from the jar");
            Method own = c.getDeclaredMethod("ownResource", String.class);
            own.setAccessible(true);
            assertArrayEquals(blob, (byte[]) own.invoke(null, "/native/linux-test/libedgetrain.so"));
            assertNull(own.invoke(null, "/native/linux-none/libedgetrain.so"));
        }
    }
}
