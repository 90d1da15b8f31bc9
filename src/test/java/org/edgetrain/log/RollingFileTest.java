package org.edgetrain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingFileTest {
    @TempDir
    Path dir;

    private static byte[] line(int i) {
        return String.format("line %04d of the log, padded to fifty bytes.....%n", i).getBytes(StandardCharsets.UTF_8);
    }

    private TreeSet<String> names() throws IOException {
        TreeSet<String> s = new TreeSet<>();
        try (var l = Files.list(dir)) {
            l.forEach(p -> s.add(p.getFileName().toString()));
        }
        return s;
    }

    private static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSizePolicyRollsAndKeepsTheBackupsGzipped() throws IOException {
        int len = line(0).length;
        RollingFile f = new RollingFile(dir, "edgetrain", 10L * len, 2); // ten lines a file
        for (int i = 0; i < 45; i++) f.write(line(i));
        assertNull(f.flush());
        // lines 0-9 went to .0, 10-19 .1, 20-29 .2, 30-39 .3, 40-44 .4; two backups kept
        assertEquals(new TreeSet<>(List.of("edgetrain.2.log.gz", "edgetrain.3.log.gz", "edgetrain.4.log", "edgetrain.log")), names());
        String three = gunzip(dir.resolve("edgetrain.3.log.gz"));
        assertEquals(10 * len, three.length());
        assertTrue(three.startsWith("line 0030 ") && three.contains("line 0039 "), three);
        assertEquals(5 * len, Files.size(dir.resolve("edgetrain.4.log")));
        // the latest name is a hard link to the file being written, as tinylog made it
        assertTrue(Files.isSameFile(dir.resolve("edgetrain.log"), dir.resolve("edgetrain.4.log")));
        assertFalse(Files.isSymbolicLink(dir.resolve("edgetrain.log")));
        f.close();
    }

    @Test
    void aRestartContinuesTheNewestFileWhileItIsUnderTheLimit() throws IOException {
        int len = line(0).length;
        RollingFile f = new RollingFile(dir, "edgetrain", 10L * len, 5);
        for (int i = 0; i < 12; i++) f.write(line(i));
        f.close();
        RollingFile again = new RollingFile(dir, "edgetrain", 10L * len, 5);
        again.write(line(99));
        again.close();
        assertEquals(3 * len, Files.size(dir.resolve("edgetrain.1.log")), "continued, not a new file");
        assertTrue(Files.readString(dir.resolve("edgetrain.log")).endsWith("line 0099 of the log, padded to fifty bytes....." + System.lineSeparator()));
        // a file at its limit is not continued: the next count starts
        RollingFile full = new RollingFile(dir, "edgetrain", 3L * len, 5);
        full.write(line(100));
        full.close();
        assertTrue(Files.exists(dir.resolve("edgetrain.2.log")), names().toString());
        assertTrue(Files.isSameFile(dir.resolve("edgetrain.log"), dir.resolve("edgetrain.2.log")));
    }

    @Test
    void theWritingThreadStampsEachLine() throws Exception {
        RollingFile f = new RollingFile(dir, "edgetrain", 1 << 20, 5);
        WritingThread t = new WritingThread(f, Level.INFO, null, new Timestamp(TimeZone.getDefault()), 16);
        t.start();
        t.write(Level.DEBUG, System.currentTimeMillis(), "below the file's level");
        t.write(Level.INFO, System.currentTimeMillis(), "step=1 loss=0.5");
        t.shutdown();
        assertFalse(t.isAlive());
        String text = Files.readString(dir.resolve("edgetrain.log"));
        assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO: step=1 loss=0\\.5" + System.lineSeparator()), text);
    }
}
