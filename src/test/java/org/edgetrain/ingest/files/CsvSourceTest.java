package org.edgetrain.ingest.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.edgetrain.BadInputException;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.SourceStats.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
    @TempDir
    Path tmp;

    private static List<float[]> drain(Source s) throws IOException {
        List<float[]> out = new ArrayList<>();
        while (true) {
            float[] v = new float[s.channels()];
            long ts = s.read(v, 0);
            if (ts == Source.END || ts == Source.NO_SAMPLE) return out;
            out.add(v);
        }
    }

    @Test
    void readsTheNamedColumnsInTheirOrderAndKeepsMissingCellsAsNan() throws IOException {
        Path f = tmp.resolve("log.csv");
        Files.writeString(f, "time,ax,ay,label\r\n0,1.5,-2,0\n1,,3e2,1\n\n2,NaN,-inf,0\n3,4,.25,1");
        SourceStats stats = new SourceStats();
        CsvSource src = new CsvSource(f, List.of("ay", "ax", "label"), false, stats);
        src.open();
        List<float[]> rows = drain(src);
        assertEquals(4, rows.size());
        assertArrayEquals(new float[] {-2f, 1.5f, 0f}, rows.get(0));
        assertArrayEquals(new float[] {300f, Float.NaN, 1f}, rows.get(1));
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NaN, 0f}, rows.get(2));
        assertArrayEquals(new float[] {0.25f, 4f, 1f}, rows.get(3)); // the last line has no newline
        assertEquals(0, stats.get(Counter.MALFORMED_LINES));
    }

    @Test
    void aMalformedLineIsSkippedAndCountedAndTheRestIsRead() throws IOException {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n3,x7\n4\n5,6,7\n8,9\n");
        SourceStats stats = new SourceStats();
        CsvSource src = new CsvSource(f, List.of("a", "b"), false, stats);
        src.open();
        List<float[]> rows = drain(src);
        assertEquals(2, rows.size());
        assertArrayEquals(new float[] {8f, 9f}, rows.get(1));
        assertEquals(3, stats.get(Counter.MALFORMED_LINES)); // lines 3, 4 and 5
        assertEquals(5, src.lastMalformedLine());
    }

    @Test
    void aMissingColumnIsAnErrorNamingTheHeader() throws IOException {
        Path f = tmp.resolve("h.csv");
        Files.writeString(f, "a,b\n1,2\n");
        CsvSource src = new CsvSource(f, List.of("a", "c"), false, new SourceStats());
        src.open();
        BadInputException e = assertThrows(BadInputException.class, () -> src.read(new float[2], 0));
        assertTrue(e.getMessage().contains("h.csv:1: no column 'c'; the header has: a, b"), e.getMessage());
    }

    @Test
    void aMissingFileFailsToOpen() {
        CsvSource src = new CsvSource(tmp.resolve("none.csv"), List.of("a"), false, new SourceStats());
        IOException e = assertThrows(IOException.class, src::open);
        assertTrue(e.getMessage().contains("none.csv: file not found"));
    }

    @Test
    void followingPicksUpAppendedLinesIncludingOneWrittenInTwoPieces() throws IOException {
        Path f = tmp.resolve("grow.csv");
        Files.writeString(f, "v\n1\n");
        CsvSource src = new CsvSource(f, List.of("v"), true, new SourceStats());
        src.open();
        float[] v = new float[1];
        assertTrue(src.read(v, 0) >= 0);
        assertEquals(1f, v[0]);
        assertEquals(Source.NO_SAMPLE, src.read(v, 0)); // at the end: nothing yet, not the end
        Files.writeString(f, "2\n3", StandardOpenOption.APPEND);
        assertTrue(src.read(v, 0) >= 0);
        assertEquals(2f, v[0]);
        assertEquals(Source.NO_SAMPLE, src.read(v, 0)); // "3" is not a complete line yet
        Files.writeString(f, "4\n", StandardOpenOption.APPEND);
        assertTrue(src.read(v, 0) >= 0);
        assertEquals(34f, v[0]);
        // truncated and rewritten (log rotation): read again from the top, header first
        Files.writeString(f, "v\n9\n");
        assertEquals(Source.NO_SAMPLE, src.read(v, 0));
        assertTrue(src.read(v, 0) >= 0);
        assertEquals(9f, v[0]);
        src.close();
    }

    @Test
    void anOverlongLineIsMalformedAndSkipped() throws IOException {
        Path f = tmp.resolve("long.csv");
        Files.writeString(f, "v\n" + "1".repeat(DelimitedText.MAX_LINE + 10) + "\n5\n");
        SourceStats stats = new SourceStats();
        CsvSource src = new CsvSource(f, List.of("v"), false, stats);
        src.open();
        List<float[]> rows = drain(src);
        assertEquals(1, rows.size());
        assertEquals(5f, rows.get(0)[0]);
        assertEquals(1, stats.get(Counter.MALFORMED_LINES));
    }

    @Test
    void stdinReadsLinesUntilTheStreamEnds() throws IOException {
        byte[] text = "x,y\n1,2\n3,oops\n5,6\n".getBytes(StandardCharsets.UTF_8);
        SourceStats stats = new SourceStats();
        StdinSource src = new StdinSource(new ByteArrayInputStream(text), List.of("y"), stats);
        List<float[]> rows = drain(src);
        assertEquals(2, rows.size());
        assertEquals(2f, rows.get(0)[0]);
        assertEquals(6f, rows.get(1)[0]);
        assertEquals(1, stats.get(Counter.MALFORMED_LINES));
        float[] v = new float[1];
        assertEquals(Source.END, src.read(v, 0));
    }

    @Test
    void numbersParseLikeFloatParseFloat() {
        DelimitedText t = new DelimitedText("t", List.of(), new SourceStats(), 1);
        String[] good = {"0", "-0", "1", "-1.5", "+2.25", "3.", ".5", "1e3", "1E-3", "-7.125e+2", "123456.789", "0.1",
            "3.4028235e38", "1.4e-45", "9.80665", "12345678901234567890", "0.000000000000000000000000000001", "16384"};
        for (String s : good) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            float f = t.parseFloat(b, 0, b.length);
            assertTrue(t.lastParseOk(), s);
            float expected = Float.parseFloat(s);
            assertEquals(expected, f, Math.ulp(expected), s);
        }
        for (String s : new String[] {"abc", "1..2", "1e", "-", "1,5", "0x10", "e5", "1e+"}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            t.parseFloat(b, 0, b.length);
            assertTrue(!t.lastParseOk(), s);
        }
    }

    private static float[] next(Source s) throws IOException {
        float[] v = new float[s.channels()];
        assertTrue(s.read(v, 0) > 0, "a sample");
        return v;
    }

    @Test
    void aSavedPositionGoesOnAtTheNextLineOfTheSameFileAndFromTheTopOfAnotherOne() throws IOException {
        Path f = tmp.resolve("rows.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 1; i <= 50; i++) sb.append(i).append(',').append(-i).append(i % 9 == 0 ? "\r\n\n" : "\n"); // CRLF, blank lines
        Files.writeString(f, sb);
        CsvSource first = new CsvSource(f, List.of("b", "a"), false, new SourceStats());
        for (int i = 1; i <= 20; i++) assertArrayEquals(new float[] {-i, i}, next(first));
        org.edgetrain.io.Checkpoint c = new org.edgetrain.io.Checkpoint();
        first.save("ingest.csv", c);
        first.close();

        CsvSource resumed = new CsvSource(f, List.of("b", "a"), false, new SourceStats());
        resumed.load("ingest.csv", c);
        List<float[]> rest = drain(resumed);
        assertEquals(30, rest.size(), "rows 21..50, none twice");
        assertArrayEquals(new float[] {-21, 21}, rest.get(0));
        assertArrayEquals(new float[] {-50, 50}, rest.get(29));
        org.edgetrain.io.Checkpoint again = new org.edgetrain.io.Checkpoint();
        resumed.save("ingest.csv", again);
        assertEquals(Files.size(f), again.longs("ingest.csv.pos")[0], "at the end of the file");

        Files.writeString(f, sb.toString().replace("\n7,-7\n", "\n7,-8\n")); // same length, other bytes before the position
        CsvSource changed = new CsvSource(f, List.of("b", "a"), false, new SourceStats());
        changed.load("ingest.csv", c);
        assertArrayEquals(new float[] {-1, 1}, next(changed), "another file: from the top");
        Files.writeString(f, "a,b\n1,-1\n");
        CsvSource shorter = new CsvSource(f, List.of("b", "a"), false, new SourceStats());
        shorter.load("ingest.csv", c);
        assertEquals(1, drain(shorter).size(), "a file shorter than the position: from the top");
    }
}
