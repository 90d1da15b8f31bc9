package org.edgetrain.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.edgetrain.BadInputException;

/**
 * Typed reading of a config file's values, with the project's one error format: {@code file:line: key k: found 'v';
 * allowed: ...}. A fallback file (a board profile) answers for keys the config does not set; an error about such a
 * value names the profile and its line. {@link RunConfig}, {@link SourceConfig} and the daemon's settings all read
 * through this, so a user meets the same wording whichever section is wrong.
 */
public final class ConfigValues {
    private final ConfigFile file;
    private final ConfigFile fallback;

    public ConfigValues(ConfigFile file) {
        this(file, null);
    }

    /** @param fallback consulted for keys {@code file} does not set (may be null) */
    public ConfigValues(ConfigFile file, ConfigFile fallback) {
        this.file = file;
        this.fallback = fallback;
    }

    public String source() {
        return file.source();
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /** The entry from the file, else from the fallback, else null. */
    public ConfigFile.Entry get(String key) {
        ConfigFile.Entry e = file.get(key);
        if (e == null && fallback != null) e = fallback.get(key);
        return e;
    }

    private String where(String key) {
        ConfigFile.Entry e = file.get(key);
        if (e != null) return e.line() > 0 ? file.source() + ":" + e.line() : file.source() + " (command line)";
        ConfigFile.Entry f = fallback == null ? null : fallback.get(key);
        return f != null ? fallback.source() + ":" + f.line() : file.source();
    }

    public BadInputException error(String key, String found, String allowed) {
        return new BadInputException(where(key) + ": key " + key + ": found " + org.edgetrain.util.Untrusted.quote(found) + "; allowed: " + allowed);
    }

    /** The value as a file path, or {@code dflt}; a value no path can hold (a NUL byte) is this key's error. */
    public java.nio.file.Path path(String key, String dflt) {
        String v = text(key, dflt);
        try {
            return v == null ? null : java.nio.file.Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw error(key, v, "a file path (" + e.getReason() + ")");
        }
    }

    /** Fails when {@code key} is set although it does not apply ({@code when} says when it does). */
    public void onlyFor(String key, boolean applies, String when) {
        if (file.get(key) != null && !applies) throw new BadInputException(where(key) + ": key " + key + " applies only with " + when);
    }

    /** The value as written, stripped, or {@code dflt}. */
    public String text(String key, String dflt) {
        return has(key) ? get(key).value().strip() : dflt;
    }

    /** The value in lower case, or {@code dflt}. */
    public String word(String key, String dflt) {
        return has(key) ? get(key).value().toLowerCase(Locale.ROOT) : dflt;
    }

    /** Comma-separated names; empty when unset. */
    public List<String> list(String key) {
        if (!has(key)) return List.of();
        String v = get(key).value().strip();
        if (v.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            String t = s.strip();
            if (t.isEmpty()) throw error(key, v, "names separated by single commas");
            out.add(t);
        }
        return out;
    }

    public boolean bool(String key, boolean dflt) {
        if (!has(key)) return dflt;
        String v = get(key).value().toLowerCase(Locale.ROOT);
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw error(key, get(key).value(), "true, false");
    }

    public int intIn(String key, int dflt, int min, int max) {
        return (int) longIn(key, dflt, min, max);
    }

    public long longIn(String key, long dflt, long min, long max) {
        if (!has(key)) return dflt;
        String v = get(key).value();
        try {
            long i = Long.parseLong(v.replace("_", ""));
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw error(key, v, "a whole number" + range(min, max));
        }
    }

    /** Any 64-bit whole number (seeds). */
    public long longValue(String key, long dflt) {
        if (!has(key)) return dflt;
        String v = get(key).value();
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, v, "a whole number (64-bit)");
        }
    }

    public float floatIn(String key, float dflt, float min, float max) {
        return (float) doubleIn(key, dflt, min, max, true);
    }

    public double doubleIn(String key, double dflt, double min, double max) {
        return doubleIn(key, dflt, min, max, false);
    }

    private double doubleIn(String key, double dflt, double min, double max, boolean asFloat) {
        if (!has(key)) return dflt;
        String v = get(key).value();
        try {
            double d = asFloat ? Float.parseFloat(v) : Double.parseDouble(v);
            if (!(d >= min && d <= max)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw error(key, v, "a number" + range(min, max));
        }
    }

    /** One of the listed whole numbers. */
    public int oneOf(String key, int dflt, int... allowed) {
        if (!has(key)) return dflt;
        String v = get(key).value();
        StringBuilder words = new StringBuilder();
        for (int a : allowed) words.append(words.length() == 0 ? "" : ", ").append(a);
        try {
            int i = Integer.parseInt(v);
            for (int a : allowed) if (a == i) return i;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, v, words.toString());
    }

    /** A size: {@code 64m}, {@code 512k}, {@code 1g} or plain bytes. */
    public long bytes(String key, long dflt) {
        if (!has(key)) return dflt;
        String raw = get(key).value().strip();
        String v = raw.toLowerCase(Locale.ROOT).replace("_", "");
        long mult = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            mult = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1).strip();
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n * mult;
        } catch (NumberFormatException e) {
            throw error(key, raw, "bytes, e.g. 64m, 512k or 0");
        }
    }

    static String range(double min, double max) {
        boolean noMax = max >= Integer.MAX_VALUE || max >= Float.MAX_VALUE;
        return noMax ? " >= " + fmt(min) : " in [" + fmt(min) + ", " + fmt(max) + "]";
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        return Float.toString((float) v).replace("E", "e").replace(".0e", "e"); // 1e-12, 0.999999
    }
}
