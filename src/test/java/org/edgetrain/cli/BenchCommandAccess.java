package org.edgetrain.cli;

/** Test access to {@link BenchCommand#objectAlignment()} from other packages. */
public final class BenchCommandAccess {
    private BenchCommandAccess() {
    }

    public static int objectAlignment() {
        return BenchCommand.objectAlignment();
    }
}
