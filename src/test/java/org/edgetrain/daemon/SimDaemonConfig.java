package org.edgetrain.daemon;

/**
 * The config text the daemon tests and the fuzzer start from: a daemon on the simulated three-channel sensor,
 * reconstructing windows with a small batchnorm/dropout autoencoder. Only the sizes differ between them (the fuzzer
 * wants a small checkpoint to mutate), so they are the parameters.
 */
public final class SimDaemonConfig {
    private SimDaemonConfig() {
    }

    /**
     * @param window samples per window (stride half of it; the model's hidden width is the window, its output the
     *     window's 3 channels)
     * @param sourceExtra lines added to [source], e.g. {@code "anomaly_rate = 0.002\n"}
     * @param optimizerExtra lines added to [optimizer], e.g. {@code "lr = 0.002\n"}
     */
    public static String text(int warmup, int window, int batch, int checkpointEvery, int replay, String sourceExtra, String optimizerExtra) {
        return """
                [source]
                type = sim
                rate_hz = 0
                channels = 3
                seed = 4
                %s[preprocess]
                standardize = frozen
                warmup = %d
                window = %d
                stride = %d
                [label]
                mode = reconstruct
                [model]
                layers = dense(%d) batchnorm leaky_relu dropout(0.1) dense(%d)
                [loss]
                type = mse
                [optimizer]
                type = adam
                %s[train]
                batch = %d
                seed = 3
                [daemon]
                checkpoint_every = %d
                log_every = 100
                eval_every = 100
                replay = %d
                """.formatted(sourceExtra, warmup, window, window / 2, window, 3 * window, optimizerExtra, batch, checkpointEvery, replay);
    }
}
