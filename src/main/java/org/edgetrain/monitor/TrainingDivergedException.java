package org.edgetrain.monitor;

/** The guard rolled back too often in a row: training cannot go on at any rate it tried. The message says why. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
