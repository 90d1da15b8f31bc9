package org.edgetrain.train;

import java.util.List;
import java.util.function.Consumer;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.monitor.Guard;
import org.edgetrain.monitor.HealthMonitor;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.TensorData;
import org.edgetrain.optim.Schedule;
import org.edgetrain.util.Rng;
import org.edgetrain.util.StateSections;

/**
 * One training step over one planned arena, whatever the precision: fp32 ({@link Trainer}) and int16
 * ({@link FixedTrainer}) implement it, and the fit loop ({@link FitLoop}), the daemon, the guard and health see only
 * this. A step takes a batch of standardized rows, returns the loss, and allocates nothing after warm-up.
 */
public interface Step {
    /** One training step on {@code rows} contiguous rows of {@code x} (row-major) and their targets. */
    float step(float[] x, int xOffset, float[] y, int yOffset, int rows);

    /** One training step on rows {@code order[from .. from+rows)} of a dataset (the shuffled path). */
    float step(float[] x, float[] y, int[] order, int from, int rows);

    /** The loss of {@code rows} rows in evaluation mode, without touching weights or gradients; allocates nothing. */
    float score(float[] x, int xOffset, float[] y, int yOffset, int rows);

    /** Metrics over a standardized dataset, in evaluation mode. */
    Evaluation evaluate(Dataset d);

    /** The parameters and buffers seen as fp32 tensors with PyTorch names (int16 ones dequantized). */
    List<TensorData> exportTensors();

    /** Loads fp32 tensors (PyTorch names), checked strictly against the network; {@code source} names them in errors. */
    void importTensors(List<TensorData> tensors, String source);

    /**
     * Forgets the optimizer's state (velocity, moments) without touching the weights: they were replaced from outside
     * (a fleet round), and momentum built on the old ones would push the new ones off course.
     */
    void restartOptimizer();

    /**
     * Adds {@code scale·delta} to the trainable tensors that {@code delta} names (PyTorch names, exported shapes): the
     * fleet's drift correction, applied after each step of a round. int16 rounds stochastically to each parameter's
     * grid (a correction far below one grid step still moves it on average). Called only during fleet rounds.
     */
    void addToTrainable(List<TensorData> delta, float scale);

    /** Writes what resuming bit-identically needs. */
    void saveState(StateSections c);

    /** Restores what {@link #saveState} wrote; the state must come from a step with the same plan and precision. */
    void loadState(StateSections c);

    /** The health statistics and detectors (inactive when health is off). */
    HealthMonitor health();

    /** The guard, or null when it is off. */
    Guard guard();

    /** {@code fp32} or {@code int16}: what checkpoints record so that one precision never resumes the other's state. */
    String precision();

    NetworkSpec networkSpec();

    TrainingSpec spec();

    MemoryPlan memoryPlan();

    int inputWidth();

    int targetWidth();

    long steps();

    float lastLoss();

    /** Global gradient norm before clipping, of the last step that measured it. */
    double lastGradNorm();

    /** Whether the last step measured the gradient norm (not every step does when clipping does not need it). */
    boolean lastStepMeasuredNorm();

    float lastLearningRate();

    /** Correct predictions among the last step's rows (0 for regression). */
    int lastCorrect();

    /** Whether the last step was undone by the guard (its loss and accuracy count for nothing). */
    boolean lastStepRolledBack();

    Schedule schedule();

    void setSchedule(Schedule s);

    Rng shuffleRng();

    /** The kernels in use, e.g. {@code java} or {@code native (x86-64 neon-via-simde avx2-fma)}. */
    String kernelDescription();

    /** Trainable scalars (weights and biases). */
    long trainableParameterCount();

    /** A line about the precision after training (int16: saturations); empty for fp32. */
    default String precisionNote() {
        return "";
    }

    /** Adds what a model file should record about this precision (int16: rounding, saturations, digest). */
    default void describeInto(java.util.Map<String, String> info) {
    }

    /** Extra text for the epoch line (health summary, rollbacks, saturations); empty when there is nothing to say. */
    String epochNote();

    /** Trains for the spec's epochs: see {@link FitLoop#fit}. */
    default void fit(Dataset train, Dataset validation, Consumer<EpochReport> progress) {
        FitLoop.fit(this, train, validation, progress);
    }
}
