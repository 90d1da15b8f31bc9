package org.edgetrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.edgetrain.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * The config syntax is scanned by hand (no java.util.regex on the daemon's path); these hold each scanner equal to the
 * expression it replaced, on the cases a rewrite could get wrong and on seeded random text, and pin the parse of
 * quoting, comments, whitespace, sections, dotted keys and bad lines.
 */
class ConfigFileTest {
    private static final String KEY_LINE = "[A-Za-z_][A-Za-z0-9_]*\\s*=.*";
    private static final String NAME = "[a-z_][a-z0-9_]*";

    /** Characters where a hand scanner and the regex could part: classes' edges, spaces of every kind, line ends. */
    private static final String TRICKY = "aAzZ_09=#[] .\t\r\n\u000B\f\u0085\u2028\u2029\u00a0\u3000\u00e9-\"'\\";

    @Test
    void scannersAgreeWithTheExpressionsTheyReplaceOnEdgeCases() {
        for (String s : List.of("", "a", "_", "0", "a=", "a =", "a\t=\tb", "a\u000B=b", "a\f= b", "a\u00a0= b", "a\r=b",
                "a = b\rc", "a = b\u0085", "a = b\u2028c", "a = b\u2029", "a = \u00e9", "A9_ = x", "9a = x", "é = x", "a.b = c",
                "a-b = c", "=", "a==", "a = =", "ab", "a_b", "a1", "_1", "Ab", "a b", "a\n= b", "a =\n")) {
            check(s);
        }
    }

    @Test
    void scannersAgreeWithTheExpressionsTheyReplaceOnRandomText() {
        Random r = new Random(15);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(9);
            for (int i = 0; i < len; i++) b.append(TRICKY.charAt(r.nextInt(TRICKY.length())));
            check(b.toString());
        }
    }

    private static void check(String s) {
        String shown = org.edgetrain.util.Untrusted.quote(s);
        assertEquals(s.matches(KEY_LINE), ConfigFile.looksLikeKey(s), "looksLikeKey " + shown);
        assertEquals(s.matches(NAME), ConfigFile.isName(s), "isName " + shown);
        assertEquals(List.of(s.split("\r?\n", -1)), ConfigFile.lines(s), "lines " + shown);
    }

    @Test
    void crlfLineEndsCountLinesAndLeaveNoCarriageReturnInValues() {
        ConfigFile c = ConfigFile.parse("t.conf", "[train]\r\nbatch = 8\r\n\r\nepochs = 3\r\n");
        assertEquals("8", c.get("train.batch").value());
        assertEquals(2, c.get("train.batch").line());
        assertEquals("3", c.get("train.epochs").value());
        assertEquals(4, c.get("train.epochs").line());
    }

    @Test
    void aLoneCarriageReturnStaysInsideItsLine() {
        ConfigFile c = ConfigFile.parse("t.conf", "[a]\nk = x\ry\nm = 1");
        assertEquals("x\ry", c.get("a.k").value());
        assertEquals(3, c.get("a.m").line());
    }

    @Test
    void anIndentedKeyLineStartsAKeyButALineTerminatorInItsValueMakesItAContinuation() {
        ConfigFile c = ConfigFile.parse("t.conf", "[a]\nk = x\n  m = y\n  n = p\u2028q\n");
        assertEquals("x", c.get("a.k").value());
        assertEquals("y n = p\u2028q", c.get("a.m").value());
        assertNull(c.get("a.n"));
    }

    @Test
    void continuationLinesJoinWithOneSpaceAndKeepTheFirstLine() {
        ConfigFile c = ConfigFile.parse("t.conf", "[model]\nlayers = dense(8)\n\trelu   # wraps\n    dense(10)\nlr=1\n");
        assertEquals("dense(8) relu dense(10)", c.get("model.layers").value());
        assertEquals(2, c.get("model.layers").line());
        assertEquals("1", c.get("model.lr").value());
    }

    @Test
    void commentsStartAtAHashThatBeginsTheLineOrFollowsASpaceOrTab() {
        ConfigFile c = ConfigFile.parse("t.conf", "# top\n[mqtt]\ntopics = sensors/#\npassword = a#b\t# note\nname = \"x # y\"\n  # indented comment\n");
        assertEquals("sensors/#", c.get("mqtt.topics").value());
        assertEquals("a#b", c.get("mqtt.password").value());
        assertEquals("\"x", c.get("mqtt.name").value(), "quotes are literal: a comment starts inside them too");
    }

    @Test
    void whitespaceAroundKeysSectionsAndValuesIsDropped() {
        ConfigFile c = ConfigFile.parse("t.conf", "  [ train ]  \nbatch\t=\t8 \nkey_2 =\nx_=a = b\n");
        assertEquals(List.of("train"), c.sections());
        assertEquals("8", c.get("train.batch").value());
        assertEquals("", c.get("train.key_2").value());
        assertEquals("a = b", c.get("train.x_").value());
    }

    @Test
    void keysOutsideASectionHaveNoPrefix() {
        ConfigFile c = ConfigFile.parse("t.conf", "steps = 5\n[s]\nsteps = 6\n");
        assertEquals("5", c.get("steps").value());
        assertEquals("6", c.get("s.steps").value());
    }

    @Test
    void badLinesNameTheLineWhatWasFoundAndWhatIsAllowed() {
        assertBad("[model]\noptimizer.lr = 1", "t.conf:2: key 'optimizer.lr' must be lower-case letters, digits and _");
        assertBad("[model]\nLr = 1", "t.conf:2: key 'Lr' must be lower-case letters, digits and _");
        assertBad("[model]\n  Lr = 1", "t.conf:2: key 'Lr' must be lower-case letters, digits and _");
        assertBad("[model]\n1lr = 1", "t.conf:2: key '1lr' must be lower-case letters, digits and _");
        assertBad("[model]\nl r = 1", "t.conf:2: key 'l r' must be lower-case letters, digits and _");
        assertBad("[Model]", "t.conf:1: section name 'Model' must be lower-case letters, digits and _");
        assertBad("[a.b]", "t.conf:1: section name 'a.b' must be lower-case letters, digits and _");
        assertBad("[ ]", "t.conf:1: section name '' must be lower-case letters, digits and _");
        assertBad("[]", "t.conf:1: malformed section header '[]'; expected [name]");
        assertBad("[model", "t.conf:1: malformed section header '[model'; expected [name]");
        assertBad("[a]\n[a]", "t.conf:2: section [a] appears twice");
        assertBad("[a]\r\n= 1", "t.conf:2: expected 'key = value', found '= 1'");
        assertBad("[a]\nk = 1\r\nk = 2", "t.conf:3: key a.k is set twice (first on line 2)");
        assertBad("[a]\nk\u00a0= 1", "t.conf:2: key 'k\u00a0' must be lower-case letters, digits and _");
        assertEquals("1", ConfigFile.parse("t.conf", "[a]\nk\u2028= 1").get("a.k").value(), "strip() drops a trailing LS from the key");
    }

    private static void assertBad(String text, String message) {
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigFile.parse("t.conf", text));
        assertEquals(message, e.getMessage());
    }

    /** Every line end the file may use gives the same entries as LF alone. */
    @Test
    void lineEndsDoNotChangeTheEntries() {
        String lf = "[model]\nlayers = dense(8)\n  relu\n[train]\nbatch = 4\n";
        List<String> want = entries(ConfigFile.parse("t", lf));
        assertEquals(want, entries(ConfigFile.parse("t", lf.replace("\n", "\r\n"))));
        assertEquals(want, entries(ConfigFile.parse("t", lf.substring(0, lf.length() - 1))));
    }

    private static List<String> entries(ConfigFile c) {
        List<String> out = new ArrayList<>();
        for (ConfigFile.Entry e : c.entries()) out.add(e.fullKey() + "=" + e.value() + "@" + e.line());
        return out;
    }
}
