package org.edgetrain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SimpleTimeZone;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {
    @AfterEach
    void back() {
        Log.reset();
    }

    @Test
    void placeholdersAreFilledInOrder() {
        assertEquals("a=1 b=x", Placeholders.fill("a={} b={}", new Object[] {1, "x"}));
        assertEquals("1 and {}", Placeholders.fill("{} and {}", new Object[] {1}), "a placeholder without argument stays");
        assertEquals("only 1", Placeholders.fill("only {}", new Object[] {1, 2}), "a surplus argument is left out");
        assertEquals("null {x} 0.5", Placeholders.fill("{} {x} {}", new Object[] {null, 0.5}));
        assertEquals("[a, b]", Placeholders.fill("{}", new Object[] {new Object[] {"a", "b"}}));
        assertEquals("no args {}", Placeholders.fill("no args {}", new Object[0]));
    }

    @Test
    void levelsBelowTheThresholdAreNotFormatted() {
        Captured c = new Captured(Level.INFO);
        Log.install(c);
        Object loud = new Object() {
            @Override
            public String toString() {
                throw new AssertionError("a disabled level formatted its arguments");
            }
        };
        Log.debug("d {}", loud);
        Log.trace("t {}", loud);
        Log.info("i {}", 1);
        Log.warn("w {}", 2);
        Log.error("e {}", 3);
        assertEquals(List.of("INFO: i 1", "WARN: w 2", "ERROR: e 3"), c.lines);
        assertTrue(Log.enabled(Level.INFO));
        assertFalse(Log.enabled(Level.DEBUG));
    }

    @Test
    void aThrowableFollowsTheMessageWithItsStackTrace() {
        Captured c = new Captured(Level.TRACE);
        Log.install(c);
        Log.error(new IllegalStateException("boom"), "{} failed", "x");
        String line = c.lines.get(0);
        assertTrue(line.startsWith("ERROR: x failed: java.lang.IllegalStateException: boom" + System.lineSeparator() + "\tat "), line);
        assertFalse(line.endsWith("\n"), "no trailing line end: the writer adds one");
    }

    @Test
    void theCliConsoleWritesWarningsToStderrAsTinylogDid() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Log.install(new ConsoleWriter(Level.WARN, "edgetrain ", e, e));
        Log.info("not shown");
        Log.warn("native kernels unavailable: {}", "why");
        assertEquals("edgetrain WARN: native kernels unavailable: why" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
        // the daemon's console: LEVEL: message, info on stdout, warnings on stderr
        err.reset();
        Log.install(new ConsoleWriter(Level.INFO, "", new PrintStream(out, true, StandardCharsets.UTF_8), e));
        Log.info("step={}", 5);
        Log.error("bad");
        assertEquals("INFO: step=5" + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        assertEquals("ERROR: bad" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCliConsoleFollowsARedirectedStderr() {
        PrintStream was = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Log.reset();
            Log.warn("to the stream in place now");
        } finally {
            System.setErr(was);
        }
        assertEquals("edgetrain WARN: to the stream in place now" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void offSilencesEverything() {
        Log.off();
        assertFalse(Log.enabled(Level.ERROR));
    }

    @Test
    void timestampsAreLocalTimeInTheFilesFormat() {
        StringBuilder b = new StringBuilder();
        new Timestamp(TimeZone.getTimeZone("UTC")).append(b, 0);
        assertEquals("1970-01-01 00:00:00.000", b.toString());
        b.setLength(0);
        // 2024-02-29 23:59:59.007 UTC, a leap day; at +02:00 it is already March
        long t = 1_709_251_199_007L;
        new Timestamp(TimeZone.getTimeZone("UTC")).append(b, t);
        assertEquals("2024-02-29 23:59:59.007", b.toString());
        b.setLength(0);
        new Timestamp(new SimpleTimeZone(2 * 3_600_000, "plus2")).append(b, t);
        assertEquals("2024-03-01 01:59:59.007", b.toString());
        // against the JDK's own calendar over many instants, daylight saving included
        TimeZone berlin = TimeZone.getTimeZone("Europe/Berlin");
        java.text.SimpleDateFormat f = new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS", java.util.Locale.ROOT);
        f.setTimeZone(berlin);
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            long at = (long) (r.nextDouble() * 4_102_444_800_000L) - 1_000_000_000_000L; // 1938 .. 2100
            b.setLength(0);
            new Timestamp(berlin).append(b, at);
            assertEquals(f.format(new java.util.Date(at)), b.toString(), "at " + at);
        }
    }

    @Test
    void isoUtcIsWhatInstantWritesForWholeMilliseconds() {
        for (long t : new long[] {0, 1_709_251_199_007L, 1_709_251_199_120L, -86_400_001L, 4_102_444_800_999L}) {
            String want = java.time.Instant.ofEpochMilli(t).toString();
            if (!want.contains(".")) want = want.replace("Z", ".000Z");
            else while (want.indexOf('Z') - want.indexOf('.') < 4) want = want.replace("Z", "0Z");
            assertEquals(want, Timestamp.isoUtc(t));
        }
    }

    @Test
    void levelsAreNamedAsTheConfigWritesThem() {
        assertEquals(Level.WARN, Level.named("warn"));
        assertEquals(Level.OFF, Level.named("off"));
        assertNull(Level.named("loud"));
    }
}
