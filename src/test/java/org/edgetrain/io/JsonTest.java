package org.edgetrain.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValueIntoTheDocumentedJavaTypes() throws ParseException {
        Object v = Json.parse(" {\"s\": \"x\", \"i\": -42, \"d\": 1.5e3, \"t\": true, \"f\": false, \"n\": null,"
                + " \"a\": [1, [], {}]} \n");
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals("x", m.get("s"));
        assertEquals(-42L, m.get("i"));
        assertEquals(1500.0, m.get("d"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), m.get("a"));
    }

    @Test
    void objectsKeepTheirKeyOrder() throws ParseException {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(m.keySet()));
        assertEquals("{\"z\":1,\"a\":2,\"m\":3}", Json.write(m));
    }

    @Test
    void integersBeyond64BitsBecomeDoublesAndFractionsStayDoubles() throws ParseException {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(18446744073709551615.0, Json.parse("18446744073709551615"));
        assertEquals(1.0, Json.parse("1.0"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(2.5e-7, Json.parse("25E-8"));
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() throws ParseException {
        assertEquals("\" \\ / \b \f \n \r \t é 😀", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\ud83d\\uDE00\""));
        assertEquals("ünï😀", Json.parse("\"ünï😀\"")); // raw non-ASCII passes through
    }

    @Test
    void writerEscapesWhatJsonRequiresAndRoundTrips() throws ParseException {
        String nasty = "q\"b\\s/\b\f\n\r\t\u0001\u001f ü 😀";
        String json = Json.write(nasty);
        assertEquals("\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f ü 😀\"", json);
        assertEquals(nasty, Json.parse(json));

        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("list", Arrays.asList(1L, -2.5, "s", null, true, List.of()));
        tree.put("nested", Map.of("k", Map.of()));
        tree.put("", "empty key");
        assertEquals(tree, Json.parse(Json.write(tree)));
        assertEquals(tree, Json.parse(Json.write(Json.parse(Json.write(tree)))));
    }

    @Test
    void writerRefusesValuesJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
    }

    @Test
    void malformedInputReportsWhatAndTheCharacterOffset() {
        assertError("", 0, "expected a value");
        assertError("{\"a\":1,}", 7, "expected a string key");
        assertError("[1,]", 3, "expected a value");
        assertError("[1 2]", 3, "expected ',' or ']'");
        assertError("{\"a\" 1}", 5, "expected ':'");
        assertError("{\"a\":1", 6, "expected ',' or '}'");
        assertError("01", 1, "expected end of input");
        assertError("-", 1, "expected a digit");
        assertError("1.", 2, "expected a digit after '.'");
        assertError("1e", 2, "expected a digit in the exponent");
        assertError("\"abc", 4, "unterminated string");
        assertError("\"a\nb\"", 2, "raw control character");
        assertError("\"\\x\"", 1, "invalid escape");
        assertError("\"\\u12G4\"", 5, "\\u needs 4 hex digits");
        assertError("\"\\u12", 3, "\\u needs 4 hex digits");
        assertError("tru", 0, "expected a value");
        assertError("{} x", 3, "expected end of input");
        assertError("{\"k\":1,\"k\":2}", 7, "duplicate key \"k\"");
        assertError("NaN", 0, "expected a value");
    }

    @Test
    void deepNestingFailsCleanlyInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000);
        ParseException e = assertThrows(ParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than " + Json.MAX_DEPTH), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(ok, assertDoesNotThrowParse(ok));
    }

    private static String assertDoesNotThrowParse(String text) {
        try {
            return Json.write(Json.parse(text));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertError(String text, int offset, String problem) {
        ParseException e = assertThrows(ParseException.class, () -> Json.parse(text), text);
        assertEquals(offset, e.getErrorOffset(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("at character " + offset), e.getMessage());
    }
}
