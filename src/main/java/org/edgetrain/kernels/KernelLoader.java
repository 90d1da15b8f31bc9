package org.edgetrain.kernels;

import org.edgetrain.BadInputException;

/**
 * Chooses the kernels once at start. {@code java} is the reference; {@code auto} will prefer a native library when one
 * is packaged for this machine and fall back to Java with one log line saying why.
 */
public final class KernelLoader {
    public static final String ALLOWED = "auto, java";

    private KernelLoader() {
    }

    public static Kernels load(String preference) {
        return switch (preference) {
            case "auto", "java" -> new JavaKernels();
            default -> throw new BadInputException("kernels: found '" + preference + "'; allowed: " + ALLOWED);
        };
    }
}
