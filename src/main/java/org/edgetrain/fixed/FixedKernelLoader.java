package org.edgetrain.fixed;

import org.edgetrain.BadInputException;

/**
 * Chooses the fixed-point kernels once, like {@link org.edgetrain.kernels.KernelLoader} for fp32: {@code java} (the
 * reference), {@code native} (the NEON library, an error if it does not load) or {@code auto} (native when it loads).
 */
public final class FixedKernelLoader {
    private FixedKernelLoader() {
    }

    public static FixedKernels load(String choice) {
        switch (choice) {
            case "java":
                return new JavaFixedKernels();
            case "native":
            case "auto":
                if (NativeFixedKernels.available()) return new NativeFixedKernels();
                if (choice.equals("native")) {
                    throw new BadInputException("kernels native: the native library did not load: "
                            + org.edgetrain.kernels.NativeLibrary.load().reason());
                }
                return new JavaFixedKernels();
            default:
                throw new BadInputException("kernels: found '" + choice + "'; allowed: auto, native, java");
        }
    }
}
