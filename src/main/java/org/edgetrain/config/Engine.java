package org.edgetrain.config;

import org.edgetrain.BadInputException;
import org.edgetrain.fixed.FixedKernelLoader;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.FixedTrainer;
import org.edgetrain.train.Step;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;

/**
 * The {@code [engine]} section made real: the one place that picks the precision, so {@code train}, {@code run},
 * {@code doctor} and {@code bench} build the same {@link Step} for the same config.
 */
public final class Engine {
    private Engine() {
    }

    /**
     * The step for {@code cfg}'s precision: {@link Trainer} (fp32) or {@link FixedTrainer} (int16), kernels chosen once.
     *
     * @param kernels  {@code auto}, {@code native} or {@code java} (the config's value or a command-line override)
     * @param threads  threads for large dense products; int16 kernels run on one thread, so more is refused there
     * @param flag     how the user set the threads, named in the error ({@code engine.threads} or {@code --threads})
     */
    public static Step step(RunConfig cfg, NetworkSpec net, TrainingSpec spec, String kernels, int threads, String flag,
                            HealthSpec health) {
        if (!cfg.fixedPoint()) return new Trainer(net, spec, KernelLoader.load(kernels, threads), health);
        if (threads > 1) {
            throw new BadInputException(cfg.source() + ": " + flag + ": found " + threads + "; allowed with engine.precision = fixed: 1 "
                    + "(the int16 kernels run on one thread)");
        }
        return new FixedTrainer(net, spec, FixedKernelLoader.load(kernels), cfg.rounding(), health);
    }

    /** The arena the step for {@code cfg} would allocate, without allocating it. */
    public static MemoryPlan plan(RunConfig cfg, NetworkSpec net, TrainingSpec spec, HealthSpec health) {
        return cfg.fixedPoint() ? FixedTrainer.plan(net, spec, health) : Trainer.plan(net, spec, health);
    }
}
