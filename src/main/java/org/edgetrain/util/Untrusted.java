package org.edgetrain.util;

/**
 * Text from a file or a sensor shown in a message: quoted, control and non-printable characters escaped, cut to a
 * length, so an error line stays one readable line whatever bytes the input held (a binary file once produced a
 * message 1,480 lines long).
 */
public final class Untrusted {
    /** Characters of untrusted text a message shows by default. */
    public static final int DEFAULT_MAX = 80;

    private Untrusted() {
    }

    /** {@code 'text'} with escapes, at most {@link #DEFAULT_MAX} characters of it. */
    public static String quote(CharSequence s) {
        return quote(s, DEFAULT_MAX);
    }

    /** Like {@link #quote(CharSequence, int)} without the quotes: for lists that are already delimited. */
    public static String escape(CharSequence s, int max) {
        String q = quote(s, max);
        int close = q.lastIndexOf('\'');
        return q.substring(1, close) + q.substring(close + 1);
    }

    /** {@code 'text'} with control characters as {@code \n}, {@code \t}, {@code \xNN} or {@code \\uNNNN}, cut after {@code max}. */
    public static String quote(CharSequence s, int max) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16).append('\'');
        int n = Math.min(s.length(), max);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\ufffd' || Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.UNASSIGNED) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('\'');
        if (s.length() > max) b.append("... (").append(s.length()).append(" characters)");
        return b.toString();
    }
}
