package org.edgetrain.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.edgetrain.fixed.FixedActivation;
import org.edgetrain.fixed.FixedParameter;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.Layer;
import org.edgetrain.nn.HealthRole;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.Parameter;
import org.edgetrain.log.Log;

/**
 * Per-layer statistics sampled every {@link HealthSpec#every()} steps, and the detectors that read them. Nothing here
 * allocates on a sampled step: sums go into fields and preallocated arrays, sampled weights and unit activity into the
 * arena's health region (so {@code plan} shows their bytes). Findings are handed to a listener once per kind and
 * subject.
 *
 * <p>Thresholds (documented in the README, "Training health"):
 * <ul>
 * <li>vanishing: the first dense layer's gradient RMS below {@link #VANISHING_RATIO} of the last one's for
 *     {@link #VANISHING_SAMPLES} samples in a row;</li>
 * <li>exploding: a global gradient norm above {@link #SPIKE_FACTOR} times its running average, or non-finite;</li>
 * <li>dead units: a ReLU layer with more than {@link #DEAD_FRACTION} of its units never positive over a window of at
 *     least {@link #DEAD_ROWS} sampled rows;</li>
 * <li>saturation: more than {@link #SATURATED_FRACTION} of a sigmoid or tanh layer's outputs where the derivative is
 *     below 4 % of its maximum (sigmoid outside [0.01, 0.99], |tanh| above 0.98), averaged over a window;</li>
 * <li>learning rate too high: the window's mean loss above {@link #DIVERGE_FACTOR} times the best window's for two
 *     windows in a row; too low: the median update-to-weight ratio below {@link #UPDATE_RATIO_LOW} while the loss
 *     improves by less than 1 % per window, for {@link #PLATEAU_WINDOWS} windows;</li>
 * <li>overfitting: validation loss rising for {@link #OVERFIT_EPOCHS} epochs in a row while the training loss falls;</li>
 * <li>clipping on every step: see {@link ClippingDetector}.</li>
 * </ul>
 */
public final class HealthMonitor {
    public static final double VANISHING_RATIO = 1e-3;
    public static final int VANISHING_SAMPLES = 8;
    public static final double SPIKE_FACTOR = 10;
    public static final double DEAD_FRACTION = 0.2;
    public static final int DEAD_ROWS = 256;
    public static final double SATURATED_FRACTION = 0.5;
    public static final double DIVERGE_FACTOR = 2;
    public static final double UPDATE_RATIO_LOW = 1e-5;
    public static final int PLATEAU_WINDOWS = 3;
    public static final int OVERFIT_EPOCHS = 3;
    /** Samples per detector window. */
    public static final int WINDOW = 8;
    /** Weights sampled per tensor for the update-to-weight ratio (evenly spaced). */
    static final int SAMPLED_WEIGHTS = 32;

    private final HealthSpec spec;
    // trainable tensors, read in real units whatever the precision
    private final HealthTensor[] tensors;
    private final int[] sampleCount;
    private final Slot samplesSlot;
    private final int[] sampleAt; // offset of each tensor's samples, relative to the slot
    private final int firstDense, lastDense; // indices into tensors of the first and last 2-D weights, -1 if < 2
    private final double[] gradNorm, weightNorm, updateRatio, updateSum;
    private final double[] medianScratch;
    private final boolean[] isWeight;
    // activation layers (sigmoid and tanh exist in fp32 only)
    private final HealthUnits[] relus;
    private final Layer[] saturating;
    private final int[] activityAt;
    private final Slot activitySlot;
    private final double[] deadFraction, saturatedSum, saturatedFraction;
    // the guard's snapshot lives here too (planned by the trainer only when the guard is on)
    private final Slot snapshotSlot;

    private float[] a;
    private short[] s16; // the int16 block of an int16 trainer's arena
    private int samplesBase = -1, activityBase = -1;
    private Consumer<Finding> listener = new WarnInLog();
    // what was reported, checked before a finding is built so a persisting condition allocates nothing
    private final EnumSet<Finding.Kind> reported = EnumSet.noneOf(Finding.Kind.class);
    private final boolean[] deadReported, saturatedReported;

    // running state
    private long samples;
    private double lastGlobalNorm = Double.NaN, normAverage = Double.NaN;
    private int vanishingRun;
    private double lastGradRatio = Double.NaN;
    private int windowSamples, windowRows, windowSteps;
    private double windowLoss;
    private double bestWindowLoss = Double.POSITIVE_INFINITY, previousWindowLoss = Double.NaN;
    private int divergingWindows, plateauWindows;
    private double lastMedianUpdate = Double.NaN, maxDead = Double.NaN, maxSaturated = Double.NaN;
    private long nonFinite;
    private final double[] epochTrain = new double[OVERFIT_EPOCHS + 1], epochVal = new double[OVERFIT_EPOCHS + 1];
    private int epochs;
    private final ClippingDetector clipping = new ClippingDetector();
    private float clipNorm;
    private float lastLoss = Float.NaN;

    /**
     * Plans the monitor's arena slots. {@code persistentFloats} is the size of the guard's snapshot (0 when the guard
     * is off): parameters, running statistics and optimizer state.
     */
    public HealthMonitor(HealthSpec spec, Network net, MemoryPlan.Builder plan, int persistentFloats) {
        this(spec, fp32Tensors(net), fp32Units(net, HealthRole.RELU_FAMILY), fp32Layers(net, HealthRole.SATURATING), plan, persistentFloats);
    }

    /**
     * The monitor of an int16 network: the same statistics and detectors as fp32, read from the int16 tensors on their
     * own scales (the gradient, weight and update norms, dead ReLU units); its sampled weights and unit activity are
     * planned as fp32 in {@code plan}'s health region. {@link #bind(float[], short[])} once the arena exists.
     */
    public static HealthMonitor fixedPoint(HealthSpec spec, List<FixedParameter> parameters, List<FixedActivation> relus,
                                           MemoryPlan.Builder plan) {
        HealthTensor[] t = new HealthTensor[parameters.size()];
        for (int i = 0; i < t.length; i++) t[i] = new Int16Health.Tensor(parameters.get(i));
        HealthUnits[] u = new HealthUnits[relus.size()];
        for (int i = 0; i < u.length; i++) u[i] = new Int16Health.Units(relus.get(i));
        return new HealthMonitor(spec, t, u, new Layer[0], plan, 0);
    }

    private static HealthTensor[] fp32Tensors(Network net) {
        List<HealthTensor> t = new ArrayList<>();
        if (net != null) for (Parameter p : net.state()) if (p.kind() == Parameter.Kind.TRAINABLE) t.add(new Fp32Health.Tensor(p));
        return t.toArray(new HealthTensor[0]);
    }

    private static List<Layer> fp32Layers(Network net, HealthRole role) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : net == null ? List.<Layer>of() : net.allLayers()) if (net.runsInTraining(l) && l.healthRole() == role) out.add(l);
        return out;
    }

    private static HealthUnits[] fp32Units(Network net, HealthRole role) {
        List<Layer> layers = fp32Layers(net, role);
        HealthUnits[] u = new HealthUnits[layers.size()];
        for (int i = 0; i < u.length; i++) u[i] = new Fp32Health.Units(layers.get(i));
        return u;
    }

    private HealthMonitor(HealthSpec spec, HealthTensor[] tensors, HealthUnits[] relus, List<Layer> saturating, MemoryPlan.Builder plan,
                          int persistentFloats) {
        this(spec, tensors, relus, saturating.toArray(new Layer[0]), plan, persistentFloats);
    }

    private HealthMonitor(HealthSpec spec, HealthTensor[] tensors, HealthUnits[] relus, Layer[] saturating, MemoryPlan.Builder plan,
                          int persistentFloats) {
        this.spec = spec;
        this.tensors = tensors;
        int n = tensors.length;
        sampleCount = new int[n];
        sampleAt = new int[n];
        isWeight = new boolean[n];
        int total = 0, first = -1, last = -1, weights = 0;
        for (int t = 0; t < n; t++) {
            sampleCount[t] = Math.min(tensors[t].size(), SAMPLED_WEIGHTS);
            sampleAt[t] = total;
            total += sampleCount[t];
            isWeight[t] = tensors[t].matrix();
            if (isWeight[t]) {
                weights++;
                if (first < 0) first = t;
                last = t;
            }
        }
        firstDense = weights >= 2 ? first : -1;
        lastDense = weights >= 2 ? last : -1;
        gradNorm = new double[n];
        weightNorm = new double[n];
        updateRatio = new double[n];
        updateSum = new double[n];
        medianScratch = new double[n];
        boolean stats = spec.statistics();
        samplesSlot = stats && total > 0 ? plan.add(Region.HEALTH, "health", "weights before the update (sampled) [" + total + "]", total) : null;

        this.relus = relus;
        this.saturating = saturating;
        activityAt = new int[relus.length];
        int units = 0;
        for (int i = 0; i < relus.length; i++) {
            activityAt[i] = units;
            units += relus[i].units();
        }
        activitySlot = stats && units > 0 ? plan.add(Region.HEALTH, "health", "ReLU unit activity [" + units + "]", units) : null;
        deadFraction = new double[relus.length];
        deadReported = new boolean[relus.length];
        saturatedReported = new boolean[saturating.length];
        saturatedSum = new double[saturating.length];
        saturatedFraction = new double[saturating.length];
        snapshotSlot = persistentFloats > 0
                ? plan.add(Region.HEALTH, "guard", "last good state [" + persistentFloats + "]", persistentFloats) : null;
    }

    /** Attaches the arena once the plan is built. */
    public void bind(float[] arena) {
        bind(arena, null);
    }

    /** Attaches an int16 trainer's arena: its float block (the monitor's own slots) and its int16 block (the tensors). */
    public void bind(float[] arena, short[] shorts) {
        this.a = arena;
        this.s16 = shorts;
        samplesBase = samplesSlot == null ? -1 : samplesSlot.offset();
        activityBase = activitySlot == null ? -1 : activitySlot.offset();
    }

    /** Where the guard keeps its snapshot, or -1 without a guard. */
    public int snapshotOffset() {
        return snapshotSlot == null ? -1 : snapshotSlot.offset();
    }

    public HealthSpec spec() {
        return spec;
    }

    /** The default listener: a warning line. A class, not a lambda: the daemon's path bootstraps none (DaemonClassLoadTest). */
    private static final class WarnInLog implements Consumer<Finding> {
        @Override
        public void accept(Finding f) {
            Log.warn("health: {}", f.line());
        }
    }

    /** Receives each finding once per kind and subject. */
    public void setListener(Consumer<Finding> listener) {
        this.listener = listener;
    }

    /** Whether {@code step} (the optimizer's count before the update) is a sampled one. */
    public boolean due(long step) {
        return spec.every() > 0 && step % spec.every() == 0;
    }

    /** The trainer's {@code clip.norm} (0: off), for the clipping detector. */
    public void setClipNorm(float maxNorm) {
        this.clipNorm = maxNorm;
    }

    /** Every step: the loss, for the windows' trend. */
    public void observeLoss(float loss) {
        lastLoss = loss;
        if (Float.isFinite(loss)) {
            windowLoss += loss;
            windowSteps++;
        }
    }

    /** A non-finite loss or gradient seen at {@code step}: counted, reported once. */
    public void observeNonFinite(long step, String what) {
        nonFinite++;
        if (!reported.contains(Finding.Kind.NON_FINITE)) report(new Finding(Finding.Kind.NON_FINITE, Finding.Severity.PROBLEM, what,
                String.format(Locale.ROOT, "%s at step %d", what, step),
                "turn the guard on (health.guard = true), keep clip.norm on, lower optimizer.lr, and check the data for NaN (edgetrain doctor)"));
    }

    /** After the forward of a sampled step: unit activity of ReLU layers, saturation of sigmoid and tanh layers. */
    public void afterForward(int rows) {
        for (int i = 0; i < relus.length; i++) relus[i].markActive(a, s16, rows, activityBase + activityAt[i]);
        for (int i = 0; i < saturating.length; i++) {
            Layer l = saturating[i];
            int n = rows * l.outputWidth(), y = l.outputOffset();
            int sat = 0;
            for (int k = 0; k < n; k++) {
                float v = a[y + k];
                if (l.saturated(v)) sat++;
            }
            saturatedSum[i] += (double) sat / n;
        }
        windowRows += rows;
    }

    /** Before the optimizer step of a sampled step: gradient and weight norms, and the weights the update will move. */
    public void beforeUpdate() {
        for (int t = 0; t < tensors.length; t++) {
            HealthTensor p = tensors[t];
            gradNorm[t] = Math.sqrt(p.gradientSquares(a, s16));
            weightNorm[t] = Math.sqrt(p.weightSquares(a, s16));
            int stride = p.size() / sampleCount[t];
            for (int k = 0; k < sampleCount[t]; k++) a[samplesBase + sampleAt[t] + k] = p.weight(a, s16, k * stride);
        }
    }

    /**
     * After the optimizer step of a sampled step: the update-to-weight ratios, then the detectors.
     *
     * @param step       the step just taken (the optimizer's count before it)
     * @param globalNorm the global gradient norm before clipping (NaN if not measured)
     */
    public void afterUpdate(long step, double globalNorm) {
        for (int t = 0; t < tensors.length; t++) {
            HealthTensor p = tensors[t];
            int stride = p.size() / sampleCount[t];
            double du = 0, ws = 0;
            for (int k = 0; k < sampleCount[t]; k++) {
                double before = a[samplesBase + sampleAt[t] + k];
                double d = p.weight(a, s16, k * stride) - before;
                du += d * d;
                ws += before * before;
            }
            updateRatio[t] = Math.sqrt(du) / (Math.sqrt(ws) + 1e-12);
            updateSum[t] += updateRatio[t];
        }
        samples++;
        windowSamples++;
        checkGradients(step, globalNorm);
        Finding clipped = clipping.observe(step, globalNorm, clipNorm, lastLoss);
        if (clipped != null) report(clipped);
        if (windowSamples >= WINDOW && windowRows >= (relus.length > 0 ? DEAD_ROWS : 0)) closeWindow(step);
    }

    private void checkGradients(long step, double globalNorm) {
        if (!Double.isNaN(globalNorm)) {
            lastGlobalNorm = globalNorm;
            if (!Double.isFinite(globalNorm)) {
                observeNonFinite(step, "gradient");
            } else if (samples > 4 && globalNorm > SPIKE_FACTOR * normAverage && !reported.contains(Finding.Kind.EXPLODING_GRADIENTS)) {
                report(new Finding(Finding.Kind.EXPLODING_GRADIENTS, Finding.Severity.PROBLEM, "",
                        String.format(Locale.ROOT, "gradient norm %.3g at step %d is %.0f× its running average %.3g", globalNorm,
                                step, globalNorm / normAverage, normAverage),
                        "keep clip.norm on (5 by default), lower optimizer.lr, use He/Xavier init (model.init = auto), "
                                + "and turn the guard on (health.guard = true)"));
            }
            if (Double.isFinite(globalNorm)) {
                normAverage = Double.isNaN(normAverage) ? globalNorm : 0.9 * normAverage + 0.1 * globalNorm;
            }
        }
        if (firstDense >= 0) {
            double first = gradNorm[firstDense] / Math.sqrt(tensors[firstDense].size());
            double last = gradNorm[lastDense] / Math.sqrt(tensors[lastDense].size());
            if (last > 0 && Double.isFinite(last)) {
                lastGradRatio = first / last;
                vanishingRun = lastGradRatio < VANISHING_RATIO ? vanishingRun + 1 : 0;
                if (vanishingRun >= VANISHING_SAMPLES && !reported.contains(Finding.Kind.VANISHING_GRADIENTS)) {
                    report(new Finding(Finding.Kind.VANISHING_GRADIENTS, Finding.Severity.PROBLEM, "layer " + tensors[firstDense].layer(),
                            String.format(Locale.ROOT, "gradient RMS of %s is %.2g, %.1g of %s's (%.2g) for %d samples in a row",
                                    tensors[firstDense].name(), first, lastGradRatio, tensors[lastDense].name(), last, vanishingRun),
                            "use leaky_relu (the default) with He init (model.init = auto) instead of sigmoid/tanh in deep nets, "
                                    + "add batchnorm or residual blocks, or use fewer layers"));
                }
            }
        }
    }

    private void closeWindow(long step) {
        // learning rate: median over weight tensors of the window's mean update ratio
        int m = 0;
        for (int t = 0; t < tensors.length; t++) if (isWeight[t]) medianScratch[m++] = updateSum[t] / windowSamples;
        if (m > 0) {
            Arrays.sort(medianScratch, 0, m);
            lastMedianUpdate = medianScratch[m / 2];
        }
        Arrays.fill(updateSum, 0);
        double meanLoss = windowSteps == 0 ? Double.NaN : windowLoss / windowSteps;
        if (Double.isFinite(meanLoss)) {
            divergingWindows = meanLoss > DIVERGE_FACTOR * bestWindowLoss ? divergingWindows + 1 : 0;
            if (divergingWindows >= 2 && !reported.contains(Finding.Kind.LR_TOO_HIGH)) {
                report(new Finding(Finding.Kind.LR_TOO_HIGH, Finding.Severity.PROBLEM, "",
                        String.format(Locale.ROOT, "mean loss %.4g at step %d is %.1f× the best so far (%.4g)", meanLoss, step,
                                meanLoss / bestWindowLoss, bestWindowLoss),
                        "lower optimizer.lr (edgetrain doctor suggests one), keep clip.norm on"));
            }
            boolean stalled = !Double.isNaN(previousWindowLoss) && meanLoss > 0.99 * previousWindowLoss;
            plateauWindows = stalled && lastMedianUpdate < UPDATE_RATIO_LOW ? plateauWindows + 1 : 0;
            // with dead or vanishing units the updates are small for another reason, which is reported instead
            if (plateauWindows >= PLATEAU_WINDOWS && !reported.contains(Finding.Kind.LR_TOO_LOW)
                    && !reported.contains(Finding.Kind.DEAD_UNITS) && !reported.contains(Finding.Kind.VANISHING_GRADIENTS)) {
                report(new Finding(Finding.Kind.LR_TOO_LOW, Finding.Severity.PROBLEM, "",
                        String.format(Locale.ROOT, "loss %.4g has not improved by 1%% for %d windows and updates are %.1g of the weights",
                                meanLoss, plateauWindows, lastMedianUpdate),
                        "raise optimizer.lr (updates near 1e-3 of the weights are typical; edgetrain doctor suggests a rate)"));
            }
            bestWindowLoss = Math.min(bestWindowLoss, meanLoss);
            previousWindowLoss = meanLoss;
        }
        maxDead = relus.length == 0 ? Double.NaN : 0;
        for (int i = 0; i < relus.length; i++) {
            HealthUnits l = relus[i];
            int w = l.units(), act = activityBase + activityAt[i], dead = 0;
            for (int j = 0; j < w; j++) {
                if (a[act + j] == 0f) dead++;
                a[act + j] = 0f;
            }
            deadFraction[i] = (double) dead / w;
            maxDead = Math.max(maxDead, deadFraction[i]);
            if (deadFraction[i] > DEAD_FRACTION && !deadReported[i]) {
                deadReported[i] = true;
                report(new Finding(Finding.Kind.DEAD_UNITS, Finding.Severity.PROBLEM, "layer " + l.name(),
                        String.format(Locale.ROOT, "%.0f%% of its %d ReLU %s were never active over %d rows (step %d)",
                                100 * deadFraction[i], w, w == l.width() ? "units" : "channels", windowRows, step),
                        "use leaky_relu (the default), lower optimizer.lr, keep clip.norm on"));
            }
        }
        maxSaturated = saturating.length == 0 ? Double.NaN : 0;
        for (int i = 0; i < saturating.length; i++) {
            saturatedFraction[i] = saturatedSum[i] / windowSamples;
            saturatedSum[i] = 0;
            maxSaturated = Math.max(maxSaturated, saturatedFraction[i]);
            if (saturatedFraction[i] > SATURATED_FRACTION && !saturatedReported[i]) {
                saturatedReported[i] = true;
                Layer l = saturating[i];
                report(new Finding(Finding.Kind.SATURATION, Finding.Severity.PROBLEM, "layer " + l.name(),
                        String.format(Locale.ROOT, "%.0f%% of the %s outputs sit where the derivative is below 4%% of its peak (step %d)",
                                100 * saturatedFraction[i], l.describe(), step),
                        "standardize the inputs (data.standardize = true), use Xavier init, lower optimizer.lr, or use leaky_relu"));
            }
        }
        windowSamples = 0;
        windowRows = 0;
        windowSteps = 0;
        windowLoss = 0;
    }

    /** After each epoch: the overfitting check (validation loss NaN when there is no validation set). */
    public void observeEpoch(int epoch, double trainLoss, double valLoss) {
        int k = epochTrain.length;
        System.arraycopy(epochTrain, 1, epochTrain, 0, k - 1);
        System.arraycopy(epochVal, 1, epochVal, 0, k - 1);
        epochTrain[k - 1] = trainLoss;
        epochVal[k - 1] = valLoss;
        epochs++;
        if (epochs < k || Double.isNaN(valLoss) || reported.contains(Finding.Kind.OVERFITTING)) return;
        for (int i = 1; i < k; i++) {
            if (!(epochVal[i] > epochVal[i - 1] && epochTrain[i] < epochTrain[i - 1])) return;
        }
        report(new Finding(Finding.Kind.OVERFITTING, Finding.Severity.PROBLEM, "",
                String.format(Locale.ROOT, "val_loss rose %.4f → %.4f over epochs %d-%d while loss fell %.4f → %.4f",
                        epochVal[0], epochVal[k - 1], epoch - k + 1, epoch, epochTrain[0], epochTrain[k - 1]),
                String.format(Locale.ROOT, "stop near epoch %d (train.epochs), add dropout or weight_decay, or use more data",
                        epoch - k + 1)));
    }

    private void report(Finding f) {
        reported.add(f.kind());
        listener.accept(f);
    }

    /** Hands a finding to the listener without the once-only check (the guard's rollbacks, each worth a line). */
    public void notify(Finding f) {
        reported.add(f.kind());
        listener.accept(f);
    }

    /** Whether a finding of this kind was reported (for tests and {@code doctor}). */
    public boolean hasReported(Finding.Kind kind) {
        return reported.contains(kind);
    }

    /** The health part of a progress line, e.g. {@code upd 1.1e-03  dead 0%  sat 12%}; empty without samples. */
    public String summary() {
        if (samples == 0) return "";
        StringBuilder sb = new StringBuilder();
        if (!Double.isNaN(lastMedianUpdate)) sb.append(String.format(Locale.ROOT, "upd %.1e", lastMedianUpdate));
        if (!Double.isNaN(maxDead)) sb.append(String.format(Locale.ROOT, "  dead %.0f%%", 100 * maxDead));
        if (!Double.isNaN(maxSaturated)) sb.append(String.format(Locale.ROOT, "  sat %.0f%%", 100 * maxSaturated));
        if (!Double.isNaN(lastGradRatio)) sb.append(String.format(Locale.ROOT, "  grad_ratio %.1e", lastGradRatio));
        return sb.toString().strip();
    }

    /** One line per trainable tensor: gradient and weight RMS and the update-to-weight ratio of the last sample. */
    public List<String> layerLines() {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < tensors.length; t++) {
            double rn = Math.sqrt(tensors[t].size());
            out.add(String.format(Locale.ROOT, "%-14s grad_rms %-9.2e weight_rms %-9.2e update/weight %.1e", tensors[t].name(),
                    gradNorm[t] / rn, weightNorm[t] / rn, updateRatio[t]));
        }
        return out;
    }

    /** Names of the trainable tensors, in the order of {@link #gradientNorm(int)} and friends. */
    public List<String> tensorNames() {
        List<String> out = new ArrayList<>();
        for (HealthTensor t : tensors) out.add(t.name());
        return out;
    }

    /** Gradient L2 norm of tensor {@code t} at the last sample, in real units. */
    public double gradientNorm(int t) {
        return gradNorm[t];
    }

    /** Weight L2 norm of tensor {@code t} before the last sampled update, in real units. */
    public double weightNorm(int t) {
        return weightNorm[t];
    }

    /** Update-to-weight ratio of tensor {@code t} at the last sample (over its sampled weights). */
    public double updateRatio(int t) {
        return updateRatio[t];
    }

    public long samples() {
        return samples;
    }

    public long nonFiniteCount() {
        return nonFinite;
    }

    /** First-to-last dense gradient RMS ratio of the last sample (NaN with fewer than two dense layers). */
    public double gradientRatio() {
        return lastGradRatio;
    }

    /** Median update-to-weight ratio of the last closed window. */
    public double medianUpdateRatio() {
        return lastMedianUpdate;
    }

    /** The largest dead fraction among ReLU layers in the last closed window (NaN without ReLU layers). */
    public double deadFraction() {
        return maxDead;
    }

    /** The largest saturated fraction among sigmoid/tanh layers in the last closed window. */
    public double saturatedFraction() {
        return maxSaturated;
    }

    /** The last measured global gradient norm. */
    public double globalNorm() {
        return lastGlobalNorm;
    }
}
