package org.edgetrain.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Finds and loads libedgetrain.so, in this order (sqlite-jdbc's): the file named by the system property
 * {@code edgetrain.native.path}; {@code java.library.path}; the jar's own copy for this platform, extracted once into
 * a folder named by its hash (so an SD card is not rewritten at every start) under {@code edgetrain.native.cache}
 * (default {@code ~/.cache/edgetrain/native}, else the temp directory). If none loads, {@link #load} returns why,
 * and the caller uses the Java kernels.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "edgetrain.native.path";
    public static final String CACHE_PROPERTY = "edgetrain.native.cache";

    private static volatile Result loaded;

    /** Where the library came from, or why it could not be loaded. */
    public record Result(boolean ok, String source, String reason) {
    }

    private NativeLibrary() {
    }

    /** Loads the library once per JVM; later calls return the first result. */
    public static synchronized Result load() {
        if (loaded == null) loaded = tryLoad();
        return loaded;
    }

    private static Result tryLoad() {
        String platform = Platform.current();
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) return new Result(false, null, PATH_PROPERTY + "=" + override + ": no such file");
            return attempt(() -> System.load(p.toAbsolutePath().toString()), p.toString());
        }
        if (platform == null) {
            return new Result(false, null, "no native library is built for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " (only linux-x86_64, linux-aarch64, linux-armhf)");
        }
        String missing = Platform.missingCpuFeatures(platform);
        if (missing != null) return new Result(false, null, missing);
        Result fromPath = attempt(() -> System.loadLibrary("edgetrain"), "java.library.path");
        if (fromPath.ok()) return fromPath;
        String resource = Platform.resource(platform);
        byte[] bytes;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) return new Result(false, null, "the jar has no " + resource + " (built without a C compiler for " + platform + "?)");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return new Result(false, null, "cannot read " + resource + ": " + e.getMessage());
        }
        Path file;
        try {
            file = extract(bytes);
        } catch (IOException e) {
            return new Result(false, null, "cannot extract " + resource + ": " + e.getMessage());
        }
        return attempt(() -> System.load(file.toString()), file.toString());
    }

    private static Result attempt(Runnable load, String source) {
        try {
            load.run();
            NativeKernels.buildDescription(); // the library must really be ours: a missing symbol fails here
            return new Result(true, source, null);
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return new Result(false, null, source + ": " + e.getMessage());
        }
    }

    /** Writes the library into a folder named by its SHA-256 unless an identical copy is already there. */
    static Path extract(byte[] bytes) throws IOException {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        Path dir = cacheRoot().resolve(hash);
        Path file = dir.resolve("libedgetrain.so");
        if (Files.isRegularFile(file) && Files.size(file) == bytes.length) return file;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "libedgetrain", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && Files.isWritable(Path.of(home))) return Path.of(home, ".cache", "edgetrain", "native");
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "edgetrain-native-" + user);
    }
}
