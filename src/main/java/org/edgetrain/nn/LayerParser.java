package org.edgetrain.nn;

import org.edgetrain.BadInputException;
import java.util.ArrayList;
import java.util.List;




/**
 * Parses the {@code layers} value: layer names with optional arguments, separated by spaces or commas.
 *
 * <pre>
 * dense(128) batchnorm leaky_relu dropout(0.1) residual(dense(128) tanh dense(128)) dense(10, init=xavier_uniform)
 * </pre>
 *
 * Errors name the column within the value and list what is allowed there.
 */
public final class LayerParser {
    private final String text;
    private final String where; // "file:line: model.layers"
    private int pos;
    private int depth; // residual( nesting: bounded, so parsing, building and backward never recurse off the stack
    /** Deepest residual nesting accepted (a real network nests one or two; 500 levels overflowed the service's stack). */
    public static final int MAX_DEPTH = 16;

    private LayerParser(String text, String where) {
        this.text = text;
        this.where = where;
    }

    /** Parses a layers value; {@code where} prefixes errors, e.g. {@code digits.conf:7: model.layers}. */
    public static List<LayerSpec> parse(String text, String where) {
        LayerParser p = new LayerParser(text, where);
        List<LayerSpec> layers = p.layers(false);
        if (layers.isEmpty()) throw new BadInputException(where + ": no layers given; allowed: " + LayerKinds.allowed());
        return layers;
    }

    private List<LayerSpec> layers(boolean nested) {
        List<LayerSpec> out = new ArrayList<>();
        while (true) {
            skipSeparators();
            if (pos >= text.length()) {
                if (nested) throw error("residual( is not closed with ')'");
                return out;
            }
            if (text.charAt(pos) == ')') {
                if (!nested) throw error("unexpected ')'");
                return out;
            }
            out.add(layer());
        }
    }

    private LayerSpec layer() {
        int start = pos;
        String name = name();
        if (name.isEmpty()) throw error("expected a layer name, found " + org.edgetrain.util.Untrusted.quote(String.valueOf(text.charAt(pos))) + "; allowed: " + LayerKinds.allowed());
        if (name.equals("residual")) {
            expect('(');
            if (++depth > MAX_DEPTH) throw errorAt(start, "residual( nested more than " + MAX_DEPTH + " deep; allowed: at most " + MAX_DEPTH);
            List<LayerSpec> block = layers(true);
            expect(')');
            depth--;
            if (block.isEmpty()) throw errorAt(start, "residual() needs at least one layer");
            return new LayerSpec.Residual(block);
        }
        LayerArgs args = peek() == '(' ? args() : new LayerArgs(pos);
        LayerKind kind = LayerKinds.find(name);
        try {
            if (kind != null) {
                args.allow(name, kind.positional(), kind.args());
                return kind.parse().apply(args);
            }
            if (!CustomLayers.has(name)) {
                String near = org.edgetrain.util.Nearest.of(name, LayerKinds.names());
                throw errorAt(start, "unknown layer '" + name + "'" + (near != null ? " (did you mean " + near + "?)" : "") + "; allowed: " + LayerKinds.allowed());
            }
            args.allow(name, 1, List.of("units"));
            return new LayerSpec.Custom(name, args.intArg(0, "units", -1));
        } catch (LayerArgs.BadValue e) {
            throw errorAt(e.column, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw errorAt(start, e.getMessage());
        }
    }

    private LayerArgs args() {
        LayerArgs a = new LayerArgs(pos);
        expect('(');
        while (true) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                return a;
            }
            int start = pos;
            String token = token();
            if (token.isEmpty()) throw error("expected an argument or ')'");
            skipSpaces();
            if (peek() == '=') {
                pos++;
                skipSpaces();
                String value = token();
                if (value.isEmpty()) throw error("expected a value after '" + token + "='");
                if (a.named.put(token, value) != null) throw errorAt(start, "argument '" + token + "' given twice");
                a.values.add(value);
            } else {
                a.positional.add(token);
                a.values.add(token);
            }
            skipSpaces();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c != ')') {
                throw error(c == 0 ? "'(' is not closed with ')'" : "expected ',' or ')', found '" + c + "'");
            }
        }
    }

    private String name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        return text.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
    }

    private String token() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') pos++;
            else break;
        }
        return text.substring(start, pos);
    }

    private void expect(char c) {
        skipSpaces();
        if (peek() != c) throw error("expected '" + c + "'" + (peek() == 0 ? " before the end" : ", found '" + peek() + "'"));
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private void skipSeparators() {
        while (pos < text.length() && (Character.isWhitespace(text.charAt(pos)) || text.charAt(pos) == ',')) pos++;
    }

    private BadInputException error(String message) {
        return errorAt(pos, message);
    }

    private BadInputException errorAt(int at, String message) {
        return new BadInputException(where + ": column " + (at + 1) + ": " + message);
    }
}
