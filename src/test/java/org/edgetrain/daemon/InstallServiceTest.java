package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/install-service.sh --dry-run writes the unit a board would get. */
class InstallServiceTest {
    @TempDir
    Path tmp;

    private static String run(Path jar, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("bash", "scripts/install-service.sh"));
        cmd.addAll(java.util.List.of(args));
        cmd.addAll(java.util.List.of("--jar", jar.toString(), "--dry-run"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() + "\n" + out;
    }

    @Test
    void theUnitCarriesTheBoardsHeapSignalsAndGroups() throws Exception {
        Path jar = Files.writeString(tmp.resolve("edgetrain.jar"), "not really a jar");
        String unit = run(jar, "--board", "pi-zero-2w", "--config", "examples/daemon-sim.conf");
        assertTrue(unit.startsWith("0\n"), unit);
        assertTrue(unit.contains("Environment=\"JAVA_OPTS=-Xms4m -Xmx48m -XX:+UseSerialGC"), unit);
        assertTrue(unit.contains("SuccessExitStatus=143"), unit);
        assertTrue(unit.contains("TimeoutStopSec=30"), unit);
        assertTrue(unit.contains("SupplementaryGroups=i2c spi gpio"), unit);
        assertTrue(unit.contains("StateDirectory=edgetrain"), unit);
        assertTrue(unit.contains("RestartPreventExitStatus=2"), unit);
        assertTrue(!unit.matches("(?s).*@[A-Z_]+@.*"), "every placeholder filled: " + unit);
        String pi4 = run(jar, "--board", "pi4", "--config", "examples/daemon-sim.conf");
        assertTrue(pi4.contains("-Xmx256m"), pi4);
    }

    @Test
    void anUnknownBoardIsRefusedWithTheChoices() throws Exception {
        Path jar = Files.writeString(tmp.resolve("edgetrain.jar"), "x");
        String out = run(jar, "--board", "pi9", "--config", "examples/daemon-sim.conf");
        assertEquals('2', out.charAt(0), out);
        assertTrue(out.contains("--board: found 'pi9'; allowed: "), out);
        assertTrue(out.contains("pi-zero-2w"), out);
    }
}
