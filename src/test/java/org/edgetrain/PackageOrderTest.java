package org.edgetrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies run one way: reads every source file under src/main, takes the top-level packages it names (imports and
 * fully qualified names in code, not in comments or strings) and fails on any cycle among them, naming it. No edge is
 * excused: the last back edges (ingest -> config, config -> daemon, and through it the fleet's) went in issue 11.
 */
class PackageOrderTest {
    private static final Path MAIN = Path.of("src/main/java/org/edgetrain");
    private static final Pattern REF = Pattern.compile("org\\.edgetrain\\.([a-z]+)\\.");

    static Map<String, Set<String>> graph(Path root) throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) continue; // org.edgetrain itself: shared exceptions, below everything
                String pkg = rel.getName(0).toString();
                Matcher m = REF.matcher(code(Files.readString(f)));
                Set<String> out = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                while (m.find()) if (!m.group(1).equals(pkg)) out.add(m.group(1));
            }
        }
        return g;
    }

    /** Source without comments, string and character literals. */
    static String code(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "").replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("'(\\\\.|[^'\\\\])'", "' '");
    }

    /** The cycles (strongly connected components of more than one package), by Tarjan's algorithm. */
    static List<Set<String>> cycles(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : g.keySet()) if (!index.containsKey(v)) strongConnect(v, g, index, low, stack, out, counter);
        return out;
    }

    private static void strongConnect(String v, Map<String, Set<String>> g, Map<String, Integer> index, Map<String, Integer> low,
                                      Deque<String> stack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, g, index, low, stack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> scc = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1) out.add(scc);
        }
    }

    @Test
    void topLevelPackagesHaveNoCycle() throws IOException {
        Map<String, Set<String>> g = graph(MAIN);
        List<Set<String>> cycles = cycles(g);
        StringBuilder why = new StringBuilder();
        for (Set<String> c : cycles) {
            why.append("cycle among ").append(c).append(':');
            for (String p : c) for (String q : g.get(p)) if (c.contains(q)) why.append(' ').append(p).append(" -> ").append(q).append(';');
            why.append('\n');
        }
        assertEquals(List.of(), cycles, why.toString());
    }

    /** The logging sits at the bottom beside util: every package may log, so it may use none of ours. */
    @Test
    void theLogPackageUsesNoOtherPackageOfOurs() throws IOException {
        Map<String, Set<String>> g = graph(MAIN);
        assertTrue(g.containsKey("log"), g.keySet().toString());
        assertEquals(Set.of(), g.get("log"));
    }

    @Test
    void detectorFindsAPlantedCycle() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("train", new TreeSet<>(Set.of("monitor", "nn")));
        g.put("monitor", new TreeSet<>(Set.of("nn")));
        g.put("nn", new TreeSet<>());
        assertEquals(List.of(), cycles(g));
        g.get("monitor").add("train"); // the shape issue 11 removed: the monitor reaching up into train
        assertEquals(List.of(Set.of("monitor", "train")), cycles(g));
    }

    @Test
    void referencesInCommentsAndStringsDoNotCount() {
        String src = "/** see {@link org.edgetrain.daemon.Daemon} */ class A { String s = \"org.edgetrain.cli.Main.x\"; // org.edgetrain.io.X\n"
                + " org.edgetrain.nn.Dense d; }";
        Matcher m = REF.matcher(code(src));
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1));
        assertEquals(List.of("nn"), found);
    }
}
