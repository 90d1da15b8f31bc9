package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.1: a 32-bit JVM (Raspberry Pi OS armhf/armv6) refuses {@code -XX:ObjectAlignmentInBytes=16} and does not
 * start. Here a stand-in {@code java} on the PATH behaves like one (it is a shell script, so the launcher cannot read an
 * ELF class from it and has to ask it); the real 32-bit JVM runs in scripts/test-arm.sh on the emulated armhf board.
 */
class ThirtyTwoBitJvmTest {
    @TempDir
    Path tmp;

    /** A `java` that refuses the 64-bit-only option like OpenJDK's 32-bit build does, and otherwise prints its arguments. */
    private Path fake32BitJava() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                for a in "$@"; do
                  case "$a" in
                    -XX:ObjectAlignmentInBytes=*) echo "Unrecognized VM option '${a#-XX:}'" >&2
                      echo "Error: Could not create the Java Virtual Machine." >&2; exit 1 ;;
                  esac
                done
                echo "java started with: $*"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static String run(Path pathDir, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", pathDir + ":/usr/bin:/bin");
        env.remove("JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue() + "\n" + out;
    }

    private static String value(Path profile, String key) throws Exception {
        for (String line : Files.readAllLines(profile)) {
            if (line.startsWith(key + " ")) return line.substring(line.indexOf('=') + 1).replaceAll("#.*", "").trim();
        }
        throw new AssertionError(profile + " has no " + key);
    }

    @Test
    void theThirtyTwoBitProfilesStartOnAThirtyTwoBitJvm() throws Exception {
        Path bin = fake32BitJava();
        for (String board : List.of("armhf", "armv6")) {
            List<String> cmd = new ArrayList<>(List.of(bin.resolve("java").toString(), "-Xmx" + value(Path.of("boards", board + ".conf"), "heap")));
            cmd.addAll(List.of(value(Path.of("boards", board + ".conf"), "jvm_options").split("\\s+")));
            cmd.add("-version");
            String out = run(bin, cmd);
            assertTrue(out.startsWith("0\n"), board + ": " + out);
        }
    }

    @Test
    void installServiceRefusesASixtyFourBitProfileOnAThirtyTwoBitJvmAndAcceptsArmhf() throws Exception {
        Path bin = fake32BitJava();
        Path jar = Files.writeString(tmp.resolve("edgetrain.jar"), "x");
        String pi4 = run(bin, List.of("bash", "scripts/install-service.sh", "--board", "pi4", "--config", "examples/daemon-sim.conf",
                "--jar", jar.toString(), "--dry-run"));
        assertEquals('2', pi4.charAt(0), pi4);
        assertTrue(pi4.contains("--board pi4: this machine's JVM does not start with the profile's options"), pi4);
        assertTrue(pi4.contains("Unrecognized VM option 'ObjectAlignmentInBytes=16'"), pi4);
        assertTrue(pi4.contains("use --board armhf"), pi4);
        String armhf = run(bin, List.of("bash", "scripts/install-service.sh", "--board", "armhf", "--config", "examples/daemon-sim.conf",
                "--jar", jar.toString(), "--dry-run"));
        assertTrue(armhf.startsWith("0\n"), armhf);
        assertTrue(armhf.contains("Environment=\"JAVA_OPTS=-Xms4m -Xmx96m -XX:+UseSerialGC"), armhf);
        assertFalse(armhf.contains("ObjectAlignmentInBytes"), armhf);
    }

    /** Run by the launcher in place of edgetrain's main: prints the object alignment the JVM was started with. */
    public static final class PrintAlignment {
        public static void main(String[] args) {
            System.out.println("alignment " + org.edgetrain.cli.BenchCommandAccess.objectAlignment());
        }
    }

    /**
     * The launcher from a copy of the tree whose jar is up to date (so it does not build); the jar runs
     * {@link PrintAlignment} from this build's test classes.
     */
    private Path launcherTree() throws Exception {
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("target"));
        Path launcher = Files.copy(Path.of("scripts/edgetrain"), root.resolve("scripts/edgetrain"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        var manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, PrintAlignment.class.getName());
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH,
                Path.of("target/test-classes").toAbsolutePath().toUri() + " " + Path.of("target/classes").toAbsolutePath().toUri());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(root.resolve("target/edgetrain.jar")), manifest)) {
            out.flush();
        }
        return launcher;
    }

    @Test
    void theLauncherLeavesTheAlignmentOptionOutOnAThirtyTwoBitJvm() throws Exception {
        Path launcher = launcherTree();
        String out = run(fake32BitJava(), List.of("sh", launcher.toString(), "run", "--steps", "1"));
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("java started with: -jar "), out);
        assertFalse(out.contains("ObjectAlignmentInBytes"), out);
    }

    @Test
    void theLauncherPassesTheAlignmentOptionOnASixtyFourBitJvm() throws Exception {
        Path launcher = launcherTree();
        // `java` is this JVM's own (64-bit ELF) launcher binary, reached through a symbolic link as on Debian
        Path bin = Files.createDirectories(tmp.resolve("bin64"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        String out = run(bin, List.of("sh", launcher.toString()));
        assertTrue(out.startsWith("0\n"), out);
        assertTrue(out.contains("alignment 16"), out);
    }
}
