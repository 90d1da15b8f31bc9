package org.edgetrain.nn;

import org.edgetrain.BadInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;




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
    public static final String ALLOWED = "dense(units), leaky_relu[(slope)], relu, prelu[(per_unit, init=0.25)], sigmoid, tanh, "
            + "softmax, dropout(rate), batchnorm[(eps=, momentum=)], residual(layers...), "
            + "conv1d(out_channels, kernel[, stride=1, padding=valid|same|causal, dilation=1, bias=true]), maxpool1d(kernel[, stride]), "
            + "avgpool1d(kernel[, stride]), global_avgpool1d, upsample1d(factor), flatten, gru(hidden[, sequences=last|all])";

    /** Layer names the language knows, for "did you mean". */
    static final java.util.List<String> NAMES = java.util.List.of("dense", "linear", "leaky_relu", "relu", "prelu", "sigmoid", "tanh",
            "softmax", "dropout", "batchnorm", "residual");

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
        if (layers.isEmpty()) throw new BadInputException(where + ": no layers given; allowed: " + ALLOWED);
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
        if (name.isEmpty()) throw error("expected a layer name, found " + org.edgetrain.util.Untrusted.quote(String.valueOf(text.charAt(pos))) + "; allowed: " + ALLOWED);
        if (name.equals("residual")) {
            expect('(');
            if (++depth > MAX_DEPTH) throw errorAt(start, "residual( nested more than " + MAX_DEPTH + " deep; allowed: at most " + MAX_DEPTH);
            List<LayerSpec> block = layers(true);
            expect(')');
            depth--;
            if (block.isEmpty()) throw errorAt(start, "residual() needs at least one layer");
            return new LayerSpec.Residual(block);
        }
        Args args = peek() == '(' ? args() : new Args();
        try {
            return switch (name) {
                case "dense", "linear" -> {
                    args.allow(start, name, 1, "units", "init", "bias", "gain");
                    int units = args.intArg(0, "units", -1);
                    if (units < 1) throw errorAt(start, "dense needs a number of units >= 1, e.g. dense(128)");
                    String initName = args.word("init", "auto");
                    Init init = Init.parse(initName);
                    if (init == null) throw errorAt(start, "dense init '" + initName + "' is unknown; allowed: " + Init.allowed());
                    float gain = args.floatArg(-1, "gain", 1f);
                    if (!(gain > 0f) || Float.isInfinite(gain)) throw errorAt(start, "dense gain must be a number > 0, found " + gain);
                    yield new LayerSpec.Dense(units, init, args.bool("bias", true), gain);
                }
                case "leaky_relu" -> {
                    args.allow(start, name, 1, "slope");
                    float slope = args.floatArg(0, "slope", LayerSpec.LeakyRelu.DEFAULT_SLOPE);
                    if (!(slope >= 0f && slope < 1f)) throw errorAt(start, "leaky_relu slope must be in [0, 1), found " + slope);
                    yield new LayerSpec.LeakyRelu(slope);
                }
                case "relu" -> noArgs(args, start, name, new LayerSpec.Relu());
                case "sigmoid" -> noArgs(args, start, name, new LayerSpec.Sigmoid());
                case "tanh" -> noArgs(args, start, name, new LayerSpec.Tanh());
                case "softmax" -> noArgs(args, start, name, new LayerSpec.Softmax());
                case "prelu" -> {
                    args.allow(start, name, 1, "per_unit", "init");
                    boolean perUnit = args.flag("per_unit");
                    yield new LayerSpec.PRelu(perUnit, args.floatArg(0, "init", 0.25f));
                }
                case "dropout" -> {
                    args.allow(start, name, 1, "rate");
                    float rate = args.floatArg(0, "rate", Float.NaN);
                    if (!(rate >= 0f && rate < 1f)) throw errorAt(start, "dropout needs a rate in [0, 1), e.g. dropout(0.1)");
                    yield new LayerSpec.Dropout(rate);
                }
                case "batchnorm", "batch_norm", "batchnorm1d" -> {
                    args.allow(start, name, 0, "eps", "momentum");
                    float eps = args.floatArg(-1, "eps", LayerSpec.BatchNorm.DEFAULT_EPS);
                    float momentum = args.floatArg(-1, "momentum", LayerSpec.BatchNorm.DEFAULT_MOMENTUM);
                    if (!(eps > 0f)) throw errorAt(start, "batchnorm eps must be > 0, found " + eps);
                    if (!(momentum > 0f && momentum <= 1f)) throw errorAt(start, "batchnorm momentum must be in (0, 1], found " + momentum);
                    yield new LayerSpec.BatchNorm(eps, momentum);
                }
                case "conv1d" -> {
                    args.allow(start, name, 3, "out_channels", "kernel", "stride", "padding", "dilation", "bias");
                    int outCh = args.intArg(0, "out_channels", -1);
                    int kernel = args.intArg(1, "kernel", -1);
                    if (outCh < 1 || kernel < 1) throw errorAt(start, "conv1d needs out_channels >= 1 and kernel >= 1, e.g. conv1d(16, 5)");
                    String pad = args.word("padding", "valid");
                    LayerSpec.Padding padding = switch (pad) {
                        case "valid" -> LayerSpec.Padding.VALID;
                        case "same" -> LayerSpec.Padding.SAME;
                        case "causal" -> LayerSpec.Padding.CAUSAL;
                        default -> throw errorAt(start, "conv1d padding '" + pad + "' is unknown; allowed: valid, same, causal");
                    };
                    yield new LayerSpec.Conv1d(outCh, kernel, args.intArg(2, "stride", 1), padding, args.intArg(-1, "dilation", 1),
                            args.bool("bias", true));
                }
                case "maxpool1d", "avgpool1d" -> {
                    args.allow(start, name, 2, "kernel", "stride");
                    int kernel = args.intArg(0, "kernel", -1);
                    if (kernel < 1) throw errorAt(start, name + " needs a kernel >= 1, e.g. " + name + "(2)");
                    yield new LayerSpec.Pool1d(name.equals("maxpool1d"), kernel, args.intArg(1, "stride", kernel));
                }
                case "global_avgpool1d" -> noArgs(args, start, name, new LayerSpec.GlobalAvgPool1d());
                case "flatten" -> noArgs(args, start, name, new LayerSpec.Flatten());
                case "upsample1d" -> {
                    args.allow(start, name, 1, "factor");
                    int factor = args.intArg(0, "factor", -1);
                    if (factor < 1) throw errorAt(start, "upsample1d needs a factor >= 1, e.g. upsample1d(2)");
                    yield new LayerSpec.Upsample1d(factor);
                }
                case "gru" -> {
                    args.allow(start, name, 1, "hidden", "sequences");
                    int hidden = args.intArg(0, "hidden", -1);
                    if (hidden < 1) throw errorAt(start, "gru needs a hidden size >= 1, e.g. gru(32)");
                    String seq = args.word("sequences", "last");
                    if (!seq.equals("last") && !seq.equals("all")) throw errorAt(start, "gru sequences '" + seq + "' is unknown; allowed: last, all");
                    yield new LayerSpec.Gru(hidden, seq.equals("all"));
                }
                default -> {
                    if (!CustomLayers.has(name)) {
                        String near = org.edgetrain.util.Nearest.of(name, NAMES);
                        throw errorAt(start, "unknown layer '" + name + "'" + (near != null ? " (did you mean " + near + "?)" : "")
                                + "; allowed: " + ALLOWED);
                    }
                    args.allow(start, name, 1, "units");
                    yield new LayerSpec.Custom(name, args.intArg(0, "units", -1));
                }
            };
        } catch (IllegalArgumentException e) {
            throw errorAt(start, e.getMessage());
        }
    }

    private LayerSpec noArgs(Args args, int start, String name, LayerSpec spec) {
        if (!args.values.isEmpty()) throw errorAt(start, name + " takes no arguments");
        return spec;
    }

    /** Positional and named arguments of one layer, with their columns. */
    private final class Args {
        final List<String> positional = new ArrayList<>();
        final Map<String, String> named = new LinkedHashMap<>();
        final List<String> values = new ArrayList<>();
        int at;

        void allow(int start, String layer, int maxPositional, String... names) {
            List<String> ok = List.of(names);
            for (String k : named.keySet()) {
                if (!ok.contains(k)) throw errorAt(start, layer + " has no argument '" + k + "'; allowed: " + String.join(", ", ok));
            }
            if (positional.size() > maxPositional) {
                throw errorAt(start, layer + " takes " + (maxPositional == 0 ? "only named arguments"
                        : maxPositional == 1 ? "one positional argument" : "at most " + maxPositional + " positional arguments")
                        + ", found " + positional.size() + "; allowed: " + String.join(", ", ok));
            }
        }

        String raw(int index, String name) {
            if (named.containsKey(name)) return named.get(name);
            if (index >= 0 && index < positional.size()) return positional.get(index);
            return null;
        }

        int intArg(int index, String name, int dflt) {
            String v = raw(index, name);
            if (v == null) return dflt;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw errorAt(at, name + " must be a whole number, found '" + v + "'");
            }
        }

        float floatArg(int index, String name, float dflt) {
            String v = raw(index, name);
            if (v == null) return dflt;
            try {
                float f = Float.parseFloat(v);
                if (!Float.isFinite(f)) throw new NumberFormatException();
                return f;
            } catch (NumberFormatException e) {
                throw errorAt(at, name + " must be a finite number, found '" + v + "'");
            }
        }

        String word(String name, String dflt) {
            String v = named.get(name);
            return v == null ? dflt : v;
        }

        boolean bool(String name, boolean dflt) {
            String v = named.get(name);
            if (v == null) return dflt;
            if (v.equals("true")) return true;
            if (v.equals("false")) return false;
            throw errorAt(at, name + " must be true or false, found '" + v + "'");
        }

        boolean flag(String name) {
            if (positional.remove(name)) return true;
            return bool(name, false);
        }
    }

    private Args args() {
        Args a = new Args();
        a.at = pos;
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
