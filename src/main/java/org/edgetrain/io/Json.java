package org.edgetrain.io;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON (RFC 8259) for file headers such as safetensors', with no third-party dependency.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (a {@link LinkedHashMap}, so key order survives a
 * round trip), array → {@code List<Object>}, string → {@link String}, integer → {@link Long} (a {@link Double} when it
 * does not fit 64 bits), fraction or exponent → {@link Double}, true/false → {@link Boolean}, null → {@code null}.
 * The parser is strict: no comments, trailing commas, leading zeros, raw control characters in strings, or duplicate
 * keys, since a header that a lenient parser would guess at is a header we should refuse.
 */
public final class Json {
    /** safetensors needs depth 3; the cap keeps hostile input like {@code [[[[…} from overflowing the stack. */
    static final int MAX_DEPTH = 256;

    private Json() {
    }

    /** Parses one JSON value, optionally surrounded by whitespace; the exception's error offset is a char index. */
    public static Object parse(String text) throws ParseException {
        Parser p = new Parser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) throw p.error("expected end of input");
        return value;
    }

    /** Compact JSON (no spaces) for a tree of the types {@link #parse} returns; also accepts Integer and Float. */
    /**
     * A parsed value shown in an error message: JSON where it can be written, the number as Java prints it where JSON
     * has none ({@code 1e400} parses to Infinity), cut to 200 characters. Never throws: the message must get out.
     */
    public static String forMessage(Object value) {
        String s;
        try {
            s = write(value);
        } catch (RuntimeException e) {
            s = String.valueOf(value);
        }
        return s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " characters)" : s;
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no " + value + "; only finite numbers");
            out.append(value); // Double.toString / Float.toString: shortest text that reads back to the same value
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, found " + e.getKey());
                }
                if (!first) out.append(',');
                first = false;
                writeString(out, key);
                out.append(':');
                writeValue(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(',');
                writeValue(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c)); // the other control characters
                    else out.append(c); // everything else verbatim; the caller encodes the text as UTF-8
                }
            }
        }
        out.append('"');
    }

    /** Recursive descent over the text; {@code pos} is the next unread char. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object value(int depth) throws ParseException {
            if (pos >= text.length()) throw error("expected a value");
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("expected a value");
            }
        }

        private Map<String, Object> object(int depth) throws ParseException {
            checkDepth(depth);
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') throw error("expected a string key");
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object v = value(depth);
                if (map.containsKey(key)) {
                    throw new ParseException("duplicate key \"" + key + "\" at character " + keyAt, keyAt);
                }
                map.put(key, v);
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    return map;
                } else {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) throws ParseException {
            checkDepth(depth);
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == ']') {
                    pos++;
                    return list;
                } else {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() throws ParseException {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) throw error("unterminated string");
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) throw error("raw control character in string (must be escaped)");
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= text.length()) throw error("unterminated string");
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        // Surrogate pairs arrive as two \\u escapes and simply concatenate into one UTF-16 pair.
                        sb.append((char) hex4(pos + 2));
                        pos += 4;
                    }
                    default -> throw error("invalid escape '\\" + e + "'");
                }
                pos += 2;
            }
        }

        private int hex4(int at) throws ParseException {
            if (at + 4 > text.length()) {
                pos = Math.min(at, text.length());
                throw error("\\u needs 4 hex digits");
            }
            int v = 0;
            for (int i = at; i < at + 4; i++) {
                char h = text.charAt(i);
                int d = h >= '0' && h <= '9' ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) {
                    pos = i;
                    throw error("\\u needs 4 hex digits");
                }
                v = v * 16 + d;
            }
            return v;
        }

        private Object number() throws ParseException {
            int start = pos;
            if (peek() == '-') pos++;
            if (peek() == '0') {
                pos++;
            } else if (isDigit(peek())) {
                while (isDigit(peek())) pos++;
            } else {
                throw error("expected a digit");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) throw error("expected a digit after '.'");
                while (isDigit(peek())) pos++;
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') pos++;
                if (!isDigit(peek())) throw error("expected a digit in the exponent");
                while (isDigit(peek())) pos++;
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooBig) {
                    // Valid JSON beyond 64 bits: keep it as a number, as JavaScript would; callers that need an
                    // integer see a Double and refuse it.
                }
            }
            return Double.parseDouble(literal);
        }

        private Object literal(String word, Object value) throws ParseException {
            if (!text.startsWith(word, pos)) throw error("expected a value");
            pos += word.length();
            return value;
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        private void expect(char c) throws ParseException {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private void checkDepth(int depth) throws ParseException {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        }

        /** The next char, or 0 at the end (never valid where a token is expected, so callers report it). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        ParseException error(String problem) {
            String found = pos >= text.length() ? "end of input" : describe(text.charAt(pos));
            return new ParseException(problem + " at character " + pos + ", found " + found, pos);
        }

        private static String describe(char c) {
            return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
        }
    }
}
