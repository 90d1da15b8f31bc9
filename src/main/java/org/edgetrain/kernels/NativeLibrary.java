package org.edgetrain.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import org.edgetrain.log.Log;
import org.edgetrain.util.ChunkedIo;

/**
 * Finds and loads libedgetrain.so, in this order (sqlite-jdbc's): the file named by the system property
 * {@code edgetrain.native.path}; a copy on {@code java.library.path} when it is byte for byte the jar's own (or the
 * jar has none); the jar's own copy for this platform, extracted once into a folder named by its CRC-32 and length (so an SD card
 * is not rewritten at every start, and a copy there is reused only when it equals the jar's bytes) under
 * {@code edgetrain.native.cache} (default {@code ~/.cache/edgetrain/native}, else the temp directory).
 *
 * <p>Whatever loads must pass a version handshake: the library reports the JNI interface it was built for
 * ({@link NativeKernels#abiVersion()}) and it must equal {@link NativeKernels#ABI}; a stale library from an older
 * install (a different version, or none) is refused with a line that says so. A JVM cannot unload a library, which is
 * why a system copy that differs from the jar's is never loaded at all. If nothing usable loads, {@link #load} returns
 * why, and the caller uses the Java kernels.
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
            return attempt(p.toAbsolutePath().toString(), p.toString());
        }
        if (platform == null) {
            return new Result(false, null, "no native library is built for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + " (only linux-x86_64, linux-aarch64, linux-armhf)");
        }
        String missing = Platform.missingCpuFeatures(platform);
        if (missing != null) return new Result(false, null, missing);
        String resource = Platform.resource(platform);
        byte[] bytes;
        try {
            bytes = ownResource(resource);
        } catch (IOException e) {
            return new Result(false, null, "cannot read " + resource + ": " + e.getMessage());
        }
        Path system = onLibraryPath();
        if (system != null) {
            if (bytes == null || sameBytes(system, bytes)) return attempt(system.toString(), system.toString());
            Log.warn("{} differs from this jar's {}: using the jar's copy (an older install's library is never loaded)", system, resource);
        }
        if (bytes == null) return new Result(false, null, "the jar has no " + resource + " (built without a C compiler for " + platform + "?)");
        Path file;
        try {
            file = extract(bytes);
        } catch (IOException e) {
            return new Result(false, null, "cannot extract " + resource + ": " + e.getMessage());
        }
        return attempt(file.toString(), file.toString());
    }

    /**
     * A resource of this class's own jar (or classes folder), or null when it has none. Read from that file directly,
     * not through the class loader: its lookup of a resource outside any package first searches the JDK's module image
     * (the jimage reader, ~20 classes) and then opens a {@code jar:} URL (~10 more), all kept resident by the daemon.
     * Anywhere else (no file behind the code source) the class loader is asked after all.
     */
    static byte[] ownResource(String resource) throws IOException {
        java.security.CodeSource cs = NativeLibrary.class.getProtectionDomain().getCodeSource();
        Path home = null;
        try {
            if (cs != null && cs.getLocation() != null && "file".equals(cs.getLocation().getProtocol())) home = Path.of(cs.getLocation().toURI());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            home = null;
        }
        String name = resource.substring(1);
        if (home != null && Files.isDirectory(home)) {
            Path f = home.resolve(name);
            return Files.isRegularFile(f) ? ChunkedIo.readAllBytes(f) : null;
        }
        if (home != null && Files.isRegularFile(home)) {
            try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(home.toFile())) {
                java.util.zip.ZipEntry e = jar.getEntry(name);
                if (e == null) return null;
                try (InputStream in = jar.getInputStream(e)) {
                    return in.readAllBytes();
                }
            }
        }
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** {@code System.load(file)}, then the handshake; {@code source} names the library in messages. */
    private static Result attempt(String file, String source) {
        try {
            System.load(file);
        } catch (UnsatisfiedLinkError | SecurityException e) {
            return new Result(false, null, source + ": " + e.getMessage());
        }
        return handshake(source);
    }

    /** The loaded library must be built for this class's JNI interface. */
    static Result handshake(String source) {
        int abi;
        try {
            abi = NativeKernels.abiVersion();
        } catch (UnsatisfiedLinkError e) {
            abi = 1; // no abiVersion(): built before the handshake existed
        }
        if (abi != NativeKernels.ABI) return new Result(false, null, mismatch(source, abi, NativeKernels.ABI));
        try {
            NativeKernels.buildDescription(); // the library must really be ours: a missing symbol fails here
        } catch (UnsatisfiedLinkError e) {
            return new Result(false, null, source + ": " + e.getMessage());
        }
        return new Result(true, source, null);
    }

    /** The refusal of a library built for another JNI interface. */
    static String mismatch(String source, int libraryAbi, int expected) {
        return source + " was built for JNI interface " + libraryAbi + (libraryAbi == 1 ? " (it predates the version handshake)" : "")
                + ", this edgetrain needs " + expected + ": a library from another install; remove it or point "
                + PATH_PROPERTY + " at this version's";
    }

    /** The first libedgetrain.so in a folder of {@code java.library.path}, or null. */
    static Path onLibraryPath() {
        String path = System.getProperty("java.library.path", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir, System.mapLibraryName("edgetrain"));
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static boolean sameBytes(Path file, byte[] bytes) {
        try {
            return Files.size(file) == bytes.length && java.util.Arrays.equals(ChunkedIo.readAllBytes(file), bytes);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the library into a folder named by its CRC-32 and length unless an identical copy is already there: a copy
     * is reused only when it equals the jar's bytes, compared byte for byte (a truncated or altered file is rewritten).
     * The comparison is the integrity check, at least as strong as comparing SHA-256 digests; the folder name only keeps
     * builds apart, so a checksum is enough for it. This loads no {@code java.security} provider (MessageDigest cost the
     * daemon ~66 classes: DaemonClassLoadTest).
     */
    static Path extract(byte[] bytes) throws IOException {
        Path dir = cacheRoot().resolve(folderName(bytes));
        Path file = dir.resolve("libedgetrain.so");
        if (sameBytes(file, bytes)) return file;
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

    /** CRC-32 (8 hex digits) and length of the library: a different build gets a different folder. */
    static String folderName(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length);
        String hex = Long.toHexString(crc.getValue());
        StringBuilder name = new StringBuilder(24);
        for (int i = hex.length(); i < 8; i++) name.append('0');
        return name.append(hex).append('-').append(bytes.length).toString();
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
