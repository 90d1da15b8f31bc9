package org.edgetrain.connect.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.edgetrain.config.SourceConfig.PayloadFormat;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.junit.jupiter.api.Test;

/** Payload parsing without a broker: what becomes a reading and what is malformed, and why. */
class PayloadsTest {
    private final SourceStats stats = new SourceStats();
    private final List<float[]> got = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final Payloads.Sink sink = (ts, row) -> {
        got.add(row.clone());
        times.add(ts);
    };

    private int parse(Payloads p, String text) {
        return p.parse(text.getBytes(StandardCharsets.UTF_8), sink);
    }

    @Test
    void jsonFieldsByDottedPathBecomeChannelsAndEachProblemIsNamed() {
        Payloads p = new Payloads(PayloadFormat.JSON, List.of("a", "b.c"), "t", 100, stats, "test");
        assertEquals(1, parse(p, "{\"a\": 1.5, \"b\": {\"c\": \"2\"}, \"t\": 1700000000.5}"));
        assertArrayEquals(new float[] {1.5f, 2f}, got.get(0));
        assertEquals(1_700_000_000_500_000_000L, times.get(0));
        assertEquals(0, parse(p, "{\"a\": 1}"));
        assertEquals("no field 'b.c'", p.lastProblem());
        assertEquals(0, parse(p, "{\"a\": \"x\", \"b\": {\"c\": 1}, \"t\": 1}"));
        assertTrue(p.lastProblem().startsWith("field 'a' is not a number"), p.lastProblem());
        assertEquals(0, parse(p, "[1, 2]"));
        assertTrue(p.lastProblem().startsWith("a JSON object was expected"), p.lastProblem());
        assertEquals(0, parse(p, "{\"a\": 1, "));
        assertTrue(p.lastProblem().startsWith("not JSON"), p.lastProblem());
        assertEquals(0, parse(p, "{\"a\": 1, \"b\": {\"c\": 1}}"));
        assertTrue(p.lastProblem().startsWith("timestamp field 't'"), p.lastProblem());
        assertEquals(0, parse(p, "{\"a\": 1, \"b\": {\"c\": 1}, \"t\": 1, \"pad\": \"" + "x".repeat(100) + "\"}"));
        assertTrue(p.lastProblem().contains("longer than source.max_payload 100"), p.lastProblem());
        assertEquals(6, stats.get(Counter.MALFORMED_LINES));
        assertEquals(1, got.size());
    }

    @Test
    void csvPayloadsHoldOneOrMoreLinesOfTheColumnsInOrder() {
        Payloads p = new Payloads(PayloadFormat.CSV, List.of("x", "y"), null, 100, stats, "test");
        assertEquals(1, parse(p, "1,2"));
        assertEquals(2, parse(p, "3,4\r\n5,6\n"));
        assertEquals(0, parse(p, "7"));
        assertEquals(1, parse(p, "8,9"), "a malformed payload leaves nothing behind for the next one");
        assertEquals(1, parse(p, "nan,10"));
        assertEquals(6, got.size() + 1);
        assertArrayEquals(new float[] {8, 9}, got.get(3));
        assertTrue(Float.isNaN(got.get(4)[0]));
        assertEquals(1, stats.get(Counter.MALFORMED_LINES));
    }
}
