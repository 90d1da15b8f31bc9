package org.edgetrain.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one layer in a {@code layers} line, positional and named, as {@link LayerKind#parse} reads them.
 * A value that is not a number or boolean throws {@link BadValue} (the parser points at the arguments' column); a kind's
 * own rule throws a plain {@link IllegalArgumentException} (the parser points at the layer's column).
 */
public final class LayerArgs {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> named = new LinkedHashMap<>();
    final List<String> values = new ArrayList<>();
    final int at;

    LayerArgs(int at) {
        this.at = at;
    }

    /** A value of the wrong form, at the column of the arguments. */
    static final class BadValue extends IllegalArgumentException {
        final int column;

        BadValue(int column, String message) {
            super(message);
            this.column = column;
        }
    }

    /** Rejects names and positional counts the kind does not take. */
    void allow(String layer, int maxPositional, List<String> ok) {
        if (maxPositional == 0 && ok.isEmpty() && !values.isEmpty()) throw new IllegalArgumentException(layer + " takes no arguments");
        for (String k : named.keySet()) {
            if (!ok.contains(k)) throw new IllegalArgumentException(layer + " has no argument '" + k + "'; allowed: " + String.join(", ", ok));
        }
        if (positional.size() > maxPositional) {
            throw new IllegalArgumentException(layer + " takes " + (maxPositional == 0 ? "only named arguments"
                    : maxPositional == 1 ? "one positional argument" : "at most " + maxPositional + " positional arguments")
                    + ", found " + positional.size() + "; allowed: " + String.join(", ", ok));
        }
    }

    private String raw(int index, String name) {
        if (named.containsKey(name)) return named.get(name);
        if (index >= 0 && index < positional.size()) return positional.get(index);
        return null;
    }

    /** The whole number given by name or at {@code index} (−1: by name only), or {@code dflt}. */
    public int intArg(int index, String name, int dflt) {
        String v = raw(index, name);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadValue(at, name + " must be a whole number, found '" + v + "'");
        }
    }

    /** The finite number given by name or at {@code index} (−1: by name only), or {@code dflt}. */
    public float floatArg(int index, String name, float dflt) {
        String v = raw(index, name);
        if (v == null) return dflt;
        try {
            float f = Float.parseFloat(v);
            if (!Float.isFinite(f)) throw new NumberFormatException();
            return f;
        } catch (NumberFormatException e) {
            throw new BadValue(at, name + " must be a finite number, found '" + v + "'");
        }
    }

    /** A word given by name, or {@code dflt}. */
    public String word(String name, String dflt) {
        String v = named.get(name);
        return v == null ? dflt : v;
    }

    /** true or false given by name, or {@code dflt}. */
    public boolean bool(String name, boolean dflt) {
        String v = named.get(name);
        if (v == null) return dflt;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new BadValue(at, name + " must be true or false, found '" + v + "'");
    }

    /** A flag: its bare name as a positional argument, or {@code name=true}. */
    public boolean flag(String name) {
        if (positional.remove(name)) return true;
        return bool(name, false);
    }
}
