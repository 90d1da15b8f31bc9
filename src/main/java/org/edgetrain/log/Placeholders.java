package org.edgetrain.log;

/**
 * Fills {@code {}} placeholders with arguments in order, as tinylog and SLF4J do; surplus placeholders stay as they
 * are, surplus arguments are left out. No regex and no {@code String.format}: each would load dozens of JDK classes.
 */
final class Placeholders {
    private Placeholders() {
    }

    static String fill(String message, Object[] args) {
        if (message == null) return "null";
        if (args == null || args.length == 0) return message;
        StringBuilder b = new StringBuilder(message.length() + 16 * args.length);
        int from = 0;
        int next = 0;
        while (next < args.length) {
            int at = message.indexOf("{}", from);
            if (at < 0) break;
            b.append(message, from, at).append(text(args[next++]));
            from = at + 2;
        }
        return b.append(message, from, message.length()).toString();
    }

    private static String text(Object o) {
        if (o instanceof Object[] a) return java.util.Arrays.toString(a);
        return String.valueOf(o);
    }
}
