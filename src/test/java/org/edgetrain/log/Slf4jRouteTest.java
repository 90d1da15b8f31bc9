package org.edgetrain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pi4J's SLF4J lines reach Log through our provider: Pi4J at WARN, its board detection off. */
class Slf4jRouteTest {
    @AfterEach
    void back() {
        Log.reset();
    }

    @Test
    void slf4jFindsOurProviderAndItsLinesReachTheLog() {
        assertInstanceOf(Slf4jProvider.class, LoggerFactory.getILoggerFactory(), "SLF4J would say 'No SLF4J providers were found'");
        Captured c = new Captured(Level.TRACE);
        Log.install(c);
        Logger pi4j = LoggerFactory.getLogger("com.pi4j.io.i2c.impl.DefaultI2CProvider");
        pi4j.info("ignored below WARN");
        pi4j.warn("bus {} busy after {} tries", 1, 3);
        assertFalse(pi4j.isInfoEnabled());
        assertTrue(pi4j.isWarnEnabled());
        Logger board = LoggerFactory.getLogger("com.pi4j.boardinfo.util.BoardInfoHelper");
        board.error("could not detect the board");
        assertFalse(board.isErrorEnabled());
        Logger other = LoggerFactory.getLogger("org.example.Thing");
        other.info("from {}", "elsewhere", new IllegalStateException("why"));
        assertEquals("WARN: com.pi4j.io.i2c.impl.DefaultI2CProvider: bus 1 busy after 3 tries", c.lines.get(0));
        assertEquals(2, c.lines.size(), c.lines.toString());
        assertTrue(c.lines.get(1).startsWith("INFO: org.example.Thing: from elsewhere: java.lang.IllegalStateException: why"), c.lines.get(1));
        // and the levels of Log itself apply: the CLI default takes no info
        Log.install(new Captured(Level.WARN));
        assertFalse(other.isInfoEnabled());
    }

    /** A real Pi4J warning (a context shut down twice, on the mock platform) lands in the log, with Pi4J's info not. */
    @Test
    void aPi4jWarningReachesTheLog() throws Exception {
        Captured c = new Captured(Level.TRACE);
        Log.install(c);
        Context ctx = Pi4J.newContextBuilder().add(new MockPlatform()).build();
        ctx.shutdown();
        ctx.shutdown();
        assertTrue(c.lines.stream().anyMatch(l -> l.startsWith("WARN: com.pi4j.") && l.endsWith("Pi4J context/runtime is already shutdown.'")),
                c.lines.toString());
        assertTrue(c.lines.stream().allMatch(l -> l.startsWith("WARN: ") || l.startsWith("ERROR: ")), c.lines.toString());
    }
}
