package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, tried as a user would: `run` in a child JVM (as the launcher starts it) with a state or log directory it
 * cannot create, or a status or fleet port another process holds. Each once ended in an exception's class name and
 * exit 1 (`java.nio.file.FileSystemException`, `java.net.BindException:`), or, with the log elsewhere and the state
 * directory a file, a daemon that trained without ever writing a checkpoint. Now: one line naming the key, exit 2.
 */
class DaemonStartErrorsTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out) { }

    /** `run` on {@code DaemonTest.CONFIG} with {@code extra} appended. */
    private Run run(String extra, String stateDir) throws Exception {
        return runText(DaemonTest.CONFIG + extra, stateDir);
    }

    private Run runText(String configText, String stateDir) throws Exception {
        Path config = tmp.resolve("d.conf");
        Files.writeString(config, configText);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.edgetrain.cli.Main", "run", "--config", config.toString(), "--state-dir", stateDir,
                "--kernels", "java", "--steps", "20"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private static void oneLineExit2(Run r, String line) {
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains(line), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
        assertFalse(r.out().contains("\tat "), r.out());
    }

    @Test
    void aStateDirectoryThatIsAFileNamesTheKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        oneLineExit2(run("", file.toString()), "edgetrain run: daemon.state_dir (--state-dir) = " + file + ": cannot create the checkpoint directory "
                + file.resolve("checkpoints") + " (Not a directory");
        // with the log elsewhere it once started and trained without ever writing a checkpoint
        oneLineExit2(run("[log]\ndir = " + tmp.resolve("logs") + "\n", file.toString()), "daemon.state_dir (--state-dir) = " + file
                + ": cannot create the checkpoint directory");
    }

    @Test
    void aLogDirectoryThatIsAFileNamesTheKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("log-file"), "x");
        oneLineExit2(run("[log]\ndir = " + file + "\n", tmp.resolve("state").toString()),
                "edgetrain run: log.dir = " + file + ": cannot create the log directory " + file + " (a file is in the way");
    }

    @Test
    void aStatusPortInUseNamesTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            String text = DaemonTest.CONFIG.replace("[daemon]\n", "[daemon]\nstatus_port = " + port + "\n");
            assertTrue(text.contains("status_port = " + port), text);
            Run r = runText(text, tmp.resolve("state").toString());
            oneLineExit2(r, "edgetrain run: daemon.status_port = " + port + ": cannot listen on 127.0.0.1 port " + port
                    + " (Address already in use); expected a free port, or 0 for off");
        }
    }

    @Test
    void aFleetPortInUseNamesTheKey() throws Exception {
        Path token = Files.writeString(tmp.resolve("fleet.token"), "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = run("[fleet]\nport = " + port + "\ntoken_file = " + token + "\n", tmp.resolve("state").toString());
            oneLineExit2(r, "edgetrain run: fleet.port = " + port + ": cannot listen on 127.0.0.1 port " + port
                    + " (Address already in use); expected a free port, or 0 for off");
        }
    }
}
