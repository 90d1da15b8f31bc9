package org.edgetrain.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgetrain.BadInputException;

/** Command-line flags of one command: {@code --name value} or {@code --name=value}, and bare {@code --switch}es. */
final class Args {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param valued   flags that take a value
     * @param switches flags that take none
     */
    Args(String command, String[] argv, int from, Set<String> valued, Set<String> switches) {
        this.command = command;
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                if (value != null) throw new BadInputException(command + ": --" + name + " takes no value");
                values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) throw new BadInputException(command + ": --" + name + " needs a value");
                    value = argv[++i];
                }
                values.put(name, value);
            } else {
                List<String> all = new ArrayList<>();
                for (String v : valued) all.add("--" + v);
                for (String s : switches) all.add("--" + s);
                throw new BadInputException(command + ": unknown option --" + name + "; allowed: " + String.join(", ", all));
            }
        }
        if (!positional.isEmpty()) {
            throw new BadInputException(command + ": unexpected argument '" + positional.get(0) + "'; options take the form --name value");
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        return values.get(name);
    }

    String require(String name, String example) {
        String v = values.get(name);
        if (v == null) throw new BadInputException(command + ": missing --" + name + " (e.g. --" + name + " " + example + ")");
        return v;
    }

    Path path(String name) {
        String v = values.get(name);
        return v == null ? null : toPath(name, v);
    }

    Path requirePath(String name, String example) {
        return toPath(name, require(name, example));
    }

    private Path toPath(String name, String v) {
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException(command + ": --" + name + ": found " + org.edgetrain.util.Untrusted.quote(v) + "; allowed: a file path ("
                    + e.getReason() + ")");
        }
    }

    int intValue(String name, int dflt, int min) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i < min) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new BadInputException(command + ": --" + name + ": found '" + v + "', expected a whole number >= " + min);
        }
    }

    long longValue(String name, long dflt, long min) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            long i = Long.parseLong(v);
            if (i < min) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new BadInputException(command + ": --" + name + ": found '" + v + "', expected a whole number >= " + min);
        }
    }

    double doubleValue(String name, double dflt, double min) {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new BadInputException(command + ": --" + name + ": found '" + v + "', expected a number >= " + min);
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }
}
