package org.edgetrain.nn;

import java.util.List;
import java.util.function.Function;

/**
 * How one layer kind is written in a {@code layers} line: its names (the first is the one {@code toString()} prints),
 * its usage for error messages, an example (which tests parse and build), how many positional arguments and which named ones it takes, and how those become its
 * {@link LayerSpec} ({@code parse} is null for {@code residual}, whose block of layers the parser reads itself). Each
 * {@code LayerSpec} record holds its own as {@code KIND}; {@link LayerKinds} lists them.
 */
public record LayerKind(List<String> names, String usage, String example, int positional, List<String> args, Function<LayerArgs, LayerSpec> parse) {
    public LayerKind {
        names = List.copyOf(names);
        args = List.copyOf(args);
    }

    /** A kind without arguments, e.g. {@code relu}. */
    static LayerKind plain(String name, LayerSpec spec) {
        return new LayerKind(List.of(name), name, name, 0, List.of(), new Always(spec));
    }

    /*
     * The parsers are classes, not lambdas: every kind is built when the daemon reads its layers line, and the first
     * lambda bootstraps java.lang.invoke's LambdaMetafactory (~150 classes on a board; DaemonClassLoadTest).
     */

    /** The parse of a kind without arguments: always its one spec. */
    private record Always(LayerSpec spec) implements Function<LayerArgs, LayerSpec> {
        @Override
        public LayerSpec apply(LayerArgs a) {
            return spec;
        }
    }
}
