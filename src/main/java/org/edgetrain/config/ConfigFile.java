package org.edgetrain.config;

import org.edgetrain.BadInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config file's syntax: INI-like sections and {@code key = value} lines, {@code #} comments (at the start of a
 * line or after a space), and values that
 * continue on following indented lines (so a long {@code layers} list can wrap). Every value remembers its line, so
 * errors can point at it. An indented line continues the previous value unless it reads {@code key = value}. Meaning (types, ranges, allowed keys) is checked by {@link RunConfig}.
 *
 * <pre>
 * [optimizer]
 * type = momentum      # comment
 * lr = 0.01
 * </pre>
 */
public final class ConfigFile {
    /** A value with where it came from. */
    public record Entry(String section, String key, String value, int line) {
        public String fullKey() {
            return section.isEmpty() ? key : section + "." + key;
        }
    }

    private final String source;
    private final Map<String, Entry> entries;
    private final List<String> sections;

    private ConfigFile(String source, Map<String, Entry> entries, List<String> sections) {
        this.source = source;
        this.entries = entries;
        this.sections = sections;
    }

    public static ConfigFile read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": config file not found");
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read config: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /**
     * A config packaged in the jar (the embedded defaults, board profiles), or null when there is none by that name.
     *
     * @param resource an absolute resource path, e.g. {@code /boards/pi4.conf}
     */
    public static ConfigFile resource(String resource) {
        try (java.io.InputStream in = ConfigFile.class.getResourceAsStream(resource)) {
            return in == null ? null : parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadInputException(resource + ": cannot read it from the jar: " + e.getMessage());
        }
    }

    /** Parses config text; {@code source} names it in errors. */
    public static ConfigFile parse(String source, String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> sections = new ArrayList<>();
        String section = "";
        List<String> lines = lines(text);
        Entry open = null; // the entry a continuation line would extend
        StringBuilder continued = null; // its value with the continuation lines so far, joined once (linear, not quadratic)
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String raw = lines.get(i);
            String line = stripComment(raw);
            if (line.isBlank()) continue;
            boolean indented = Character.isWhitespace(raw.charAt(0));
            boolean looksLikeKey = looksLikeKey(line.strip());
            if (indented && open != null && !line.strip().startsWith("[") && !looksLikeKey) {
                if (continued == null) continued = new StringBuilder(open.value);
                continued.append(' ').append(line.strip());
                continue;
            }
            if (continued != null) {
                entries.put(open.fullKey(), new Entry(open.section, open.key, continued.toString(), open.line));
                continued = null;
            }
            String t = line.strip();
            if (t.startsWith("[")) {
                if (!t.endsWith("]") || t.length() < 3) {
                    throw new BadInputException(source + ":" + lineNo + ": malformed section header " + org.edgetrain.util.Untrusted.quote(t) + "; expected [name]");
                }
                section = t.substring(1, t.length() - 1).strip();
                if (!isName(section)) {
                    throw new BadInputException(source + ":" + lineNo + ": section name " + org.edgetrain.util.Untrusted.quote(section) + " must be lower-case letters, digits and _");
                }
                if (sections.contains(section)) {
                    throw new BadInputException(source + ":" + lineNo + ": section [" + section + "] appears twice");
                }
                sections.add(section);
                open = null;
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException(source + ":" + lineNo + ": expected 'key = value', found " + org.edgetrain.util.Untrusted.quote(t));
            }
            String key = t.substring(0, eq).strip();
            String value = t.substring(eq + 1).strip();
            if (!isName(key)) {
                throw new BadInputException(source + ":" + lineNo + ": key " + org.edgetrain.util.Untrusted.quote(key) + " must be lower-case letters, digits and _");
            }
            Entry e = new Entry(section, key, value, lineNo);
            Entry before = entries.get(e.fullKey());
            if (before != null) {
                throw new BadInputException(source + ":" + lineNo + ": key " + e.fullKey() + " is set twice (first on line " + before.line + ")");
            }
            entries.put(e.fullKey(), e);
            open = e;
        }
        if (continued != null) entries.put(open.fullKey(), new Entry(open.section, open.key, continued.toString(), open.line));
        return new ConfigFile(source, entries, Collections.unmodifiableList(sections));
    }

    /*
     * The scanning below is written out by hand rather than with java.util.regex: the daemon reads its config with it,
     * and the first Pattern costs the board ~50 classes of its own plus the lambda machinery (~150; README, the
     * classes the default daemon loads). Each method says the expression it replaces; ConfigFileTest holds them equal.
     */

    /** The lines as {@code text.split("\r?\n", -1)} cuts them: at each LF, dropping one CR before it; a lone CR stays. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            int end = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            out.add(text.substring(start, end));
            start = nl + 1;
        }
        out.add(text.substring(start));
        return out;
    }

    /**
     * {@code t.matches("[A-Za-z_][A-Za-z0-9_]*\\s*=.*")}: a name, optional ASCII spaces, '=', then anything but a line
     * terminator (the regex's '.' matches no CR, NEL, LS or PS; there is no LF left in a line).
     */
    static boolean looksLikeKey(String t) {
        int n = t.length();
        if (n == 0 || !(isLetter(t.charAt(0)) || t.charAt(0) == '_')) return false;
        int i = 1;
        while (i < n && isWordChar(t.charAt(i))) i++;
        while (i < n && " \t\n\u000B\f\r".indexOf(t.charAt(i)) >= 0) i++;
        if (i == n || t.charAt(i) != '=') return false;
        for (i++; i < n; i++) {
            char c = t.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') return false;
        }
        return true;
    }

    /** {@code s.matches("[a-z_][a-z0-9_]*")}: a section or key name. */
    static boolean isName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9';
            if (!ok) return false;
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || c >= '0' && c <= '9' || c == '_';
    }

    /**
     * A comment starts at a {@code #} that begins the line or follows a space or tab, so a value may hold one: an MQTT
     * wildcard ({@code topics = sensors/#}), a password.
     */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t')) return line.substring(0, i);
        }
        return line;
    }

    public String source() {
        return source;
    }

    /** A copy with {@code fullKey} set to {@code value} (a command-line override; line 0 marks it). */
    public ConfigFile with(String fullKey, String value) {
        int dot = fullKey.indexOf('.');
        String section = dot < 0 ? "" : fullKey.substring(0, dot);
        Map<String, Entry> e = new LinkedHashMap<>(entries);
        e.put(fullKey, new Entry(section, fullKey.substring(dot + 1), value, 0));
        List<String> s = new ArrayList<>(sections);
        if (!section.isEmpty() && !s.contains(section)) s.add(section);
        return new ConfigFile(source, e, Collections.unmodifiableList(s));
    }

    public Entry get(String fullKey) {
        return entries.get(fullKey);
    }

    public List<String> sections() {
        return sections;
    }

    public Iterable<Entry> entries() {
        return entries.values();
    }

    /** Fails on the first key not in {@code allowed}, listing the keys its section allows. */
    public void checkKnownKeys(Map<String, Set<String>> allowed) {
        for (String s : sections) {
            if (!allowed.containsKey(s)) {
                throw new BadInputException(source + ": unknown section [" + s + "]; allowed: " + String.join(", ", allowed.keySet()));
            }
        }
        for (Entry e : entries.values()) {
            Set<String> keys = allowed.get(e.section);
            if (keys == null) {
                throw new BadInputException(source + ":" + e.line + ": key '" + e.key + "' is outside any section; put it under one of ["
                        + String.join("], [", allowed.keySet()) + "]");
            }
            if (!keys.contains(e.key)) {
                throw new BadInputException(source + ":" + e.line + ": unknown key " + e.fullKey() + "; [" + e.section + "] allows: "
                        + String.join(", ", keys));
            }
        }
    }
}
