package org.edgetrain.train;

import org.edgetrain.fixed.Coefficient;
import org.edgetrain.fixed.FixedKernels;
import org.edgetrain.fixed.FixedNetwork;
import org.edgetrain.fixed.FixedParameter;
import org.edgetrain.fixed.OutputLoss;
import org.edgetrain.fixed.QFormat;
import org.edgetrain.fixed.Rounding;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.edgetrain.nn.TensorData;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.ElementType;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.optim.Schedule;
import org.edgetrain.util.Rng;
import org.edgetrain.util.StateSections;
import org.edgetrain.monitor.Finding;
import org.edgetrain.monitor.Guard;
import org.edgetrain.monitor.HealthMonitor;
import org.edgetrain.monitor.HealthSpec;

/**
 * Trains a network in fixed point ({@code engine.precision = fixed}). One {@link #step}: quantize the batch → int16
 * forward → dequantize the logits → fp32 loss and dL/dlogits → quantize → int16 backward → gradient norm (clipping
 * folds into the learning rate) → int16 update with stochastic or nearest rounding → adapt every format
 * ({@link QFormat}). The first step first calibrates the formats on its batch. After warm-up a step allocates nothing.
 *
 * <p>Starts from the same seeded weights as fp32 training; {@link #importTensors} loads fp32 weights and
 * {@link #exportTensors} gives them back dequantized, with PyTorch names.
 */
public final class FixedTrainer extends TrainingStep {
    /** Calibration passes over the first batch before the first update. */
    static final int CALIBRATION_PASSES = 3;

    private final FixedKernels kernels;
    private final Rounding rounding;
    private final FixedNetwork net;
    private final OutputLoss loss;
    private final Rng roundingRng;
    private final int logits, dlogits, targets;
    private final FixedParameter[] params; // arrays, not lists: the step iterates without an Iterator
    private final QFormat[] activationFormats;
    private boolean calibrated;
    private long steps;
    private final QFormat[] stateFormats; // every format whose state a checkpoint or the guard's snapshot keeps
    private final long[] savedFormats;
    private int snapshot = -1; // int16 slot of the guard's last good parameters and velocities
    private long savedSteps;
    private boolean savedCalibrated;
    // where the current batch comes from, so calibration can quantize it again under new formats
    private float[] srcX;
    private int[] srcOrder;
    private int srcFrom;

    /** Plans, allocates the arena once, and starts from the fp32 network's seeded weights; no health, no guard. */
    public FixedTrainer(NetworkSpec netSpec, TrainingSpec spec, FixedKernels kernels, Rounding rounding) {
        this(netSpec, spec, kernels, rounding, HealthSpec.OFF);
    }

    /**
     * As above, with the health monitor (the fp32 monitor's per-layer statistics and detectors, read from the int16
     * tensors on their scales) and, if {@code health.guard()}, the guard, whose int16 snapshot is planned in the same arena.
     */
    public FixedTrainer(NetworkSpec netSpec, TrainingSpec spec, FixedKernels kernels, Rounding rounding, HealthSpec health) {
        String why = FixedSupport.unsupported(netSpec.layers(), !netSpec.frozen().isEmpty(), spec);
        if (why != null) throw new IllegalArgumentException(why + "; supported: " + FixedSupport.SUPPORTED);
        this.netSpec = netSpec;
        this.spec = spec;
        this.kernels = kernels;
        this.rounding = rounding;
        Planned p = planned(netSpec, spec, health);
        this.plan = p.plan;
        this.net = p.net;
        this.loss = new OutputLoss(Loss.of(spec.loss(), spec.huberDelta()));
        this.targetWidth = loss.loss().targetWidth(net.lossWidth());
        this.arena = new Arena(plan);
        net.bind(arena, kernels);
        this.params = net.parameters().toArray(new FixedParameter[0]);
        this.activationFormats = net.activationFormats().toArray(new QFormat[0]);
        for (FixedParameter fp : params) fp.bind();
        this.logits = p.logits.offset();
        this.dlogits = p.dlogits.offset();
        this.targets = p.targets.offset();
        this.shuffleRng = Rng.stream(spec.seed(), "shuffle");
        this.roundingRng = Rng.stream(spec.seed(), "rounding");
        this.schedule = spec.schedule();
        List<QFormat> kept = new ArrayList<>();
        for (FixedParameter fp : params) {
            kept.add(fp.format());
            kept.add(fp.gradFormat());
            if (fp.velocityFormat() != null) kept.add(fp.velocityFormat());
        }
        for (QFormat q : activationFormats) if (!kept.contains(q)) kept.add(q);
        this.stateFormats = kept.toArray(new QFormat[0]);
        this.savedFormats = new long[stateFormats.length * QFormat.STATE_LONGS];
        loadChecked(FloatBridge.initial(netSpec, spec.seed()));
        this.monitor = p.monitor;
        monitor.bind(arena.data(), arena.shorts());
        monitor.setClipNorm(spec.clipping().maxNorm()); // the clipping detector, as in fp32
        if (health.guard()) {
            this.snapshot = p.snapshot.offset();
            this.guard = new Guard(health, new Guard.Snapshot() {
                @Override
                public void take() {
                    copyPersistent(true);
                }

                @Override
                public void restore() {
                    copyPersistent(false);
                }

                @Override
                public long steps() {
                    return steps;
                }
            });
        } else {
            this.guard = null;
        }
    }

    /** int16 values a step changes that survive it: every parameter and velocity. */
    private static int persistentShorts(FixedNetwork net) {
        int n = 0;
        for (FixedParameter fp : net.parameters()) n += fp.size() * (fp.velocityFormat() != null ? 2 : 1);
        return n;
    }

    /** The guard's snapshot: parameters, velocities and every format's state into the planned slot, or back. */
    private void copyPersistent(boolean save) {
        short[] a = arena.shorts();
        int at = snapshot;
        for (FixedParameter fp : params) {
            at = copy(a, fp.offset(), at, fp.size(), save);
            if (fp.velocityOffset() >= 0) at = copy(a, fp.velocityOffset(), at, fp.size(), save);
        }
        for (int i = 0; i < stateFormats.length; i++) {
            if (save) stateFormats[i].saveState(savedFormats, i * QFormat.STATE_LONGS);
            else stateFormats[i].loadState(savedFormats, i * QFormat.STATE_LONGS);
        }
        if (save) {
            savedSteps = steps;
            savedCalibrated = calibrated;
        } else {
            steps = savedSteps;
            calibrated = savedCalibrated;
        }
    }

    private static int copy(short[] a, int tensor, int slot, int n, boolean save) {
        if (save) System.arraycopy(a, tensor, a, slot, n);
        else System.arraycopy(a, slot, a, tensor, n);
        return slot + n;
    }

    /** The memory a fixed-point trainer would allocate, without allocating it. */
    public static MemoryPlan plan(NetworkSpec netSpec, TrainingSpec spec) {
        return planned(netSpec, spec, HealthSpec.OFF).plan;
    }

    /** The memory with the guard's snapshot when {@code health} turns the guard on. */
    public static MemoryPlan plan(NetworkSpec netSpec, TrainingSpec spec, HealthSpec health) {
        return planned(netSpec, spec, health).plan;
    }

    private record Planned(MemoryPlan plan, FixedNetwork net, Slot logits, Slot dlogits, Slot targets, Slot snapshot, HealthMonitor monitor) { }

    private static Planned planned(NetworkSpec netSpec, TrainingSpec spec, HealthSpec health) {
        MemoryPlan.Builder b = MemoryPlan.builder().title(String.format(Locale.ROOT, "memory plan: %s, batch %d, %s, fixed point (int16)%s",
                netSpec.shortName(), spec.batch(), spec.optimizer().kind().configName(), health.guard() ? ", guard" : ""));
        LayerSpec last = netSpec.layers().get(netSpec.layers().size() - 1);
        boolean skipFinal = last.appliedByLoss(spec.loss());
        FixedNetwork net = new FixedNetwork(netSpec, spec.batch(), skipFinal, spec.seed(), b);
        int n = net.lossWidth(), batch = spec.batch();
        int tw = Loss.of(spec.loss(), spec.huberDelta()).targetWidth(n);
        Slot targets = b.add(ElementType.F32, Region.INPUTS, "loss", "targets [" + batch + ", " + tw + "]", batch * tw);
        Slot logits = b.add(ElementType.F32, Region.ACTIVATIONS, "loss", "logits, dequantized [" + batch + ", " + n + "]", batch * n);
        Slot dlogits = b.add(ElementType.F32, Region.ACTIVATION_GRADIENTS, "loss", "dL/dlogits [" + batch + ", " + n + "]", batch * n);
        if (spec.optimizer().kind() == OptimizerSpec.Kind.MOMENTUM) {
            for (FixedParameter p : net.parameters()) {
                String owner = p.name().substring(0, p.name().indexOf('.'));
                p.planVelocity(b.add(ElementType.I16, Region.OPTIMIZER_STATE, owner, "velocity " + p.name().substring(owner.length() + 1)
                        + shapeText(p.shape()), p.size()), new QFormat("v" + p.name(), 15, true));
            }
        }
        Slot snapshot = health.guard()
                ? b.add(ElementType.I16, Region.HEALTH, "guard", "last good parameters and velocities [" + persistentShorts(net) + "]",
                        persistentShorts(net))
                : null;
        // per-layer statistics as in fp32, read from the int16 tensors on their scales; their fp32 slots in this plan
        HealthMonitor monitor = HealthMonitor.fixedPoint(health, net.parameters(), net.reluOutputs(), b);
        return new Planned(b.build(), net, logits, dlogits, targets, snapshot, monitor);
    }

    private static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder(" [");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(']').toString();
    }

    // ---- conversion ----

    /** Loads fp32 tensors (a model file's or safetensors', PyTorch names), checked strictly against the spec. */
    @Override
    public void importTensors(List<TensorData> tensors, String source) {
        loadChecked(FloatBridge.checked(netSpec, tensors, source));
        if (guard != null) guard.takeSnapshot(); // the guard's last good state is now these weights
    }

    @Override
    public void restartOptimizer() {
        short[] a = arena.shorts();
        for (FixedParameter p : params) {
            if (p.velocityOffset() >= 0) java.util.Arrays.fill(a, p.velocityOffset(), p.velocityOffset() + p.size(), (short) 0);
        }
    }

    @Override
    public void addToTrainable(List<TensorData> delta, float scale) {
        short[] a = arena.shorts();
        for (FixedParameter p : params) {
            for (TensorData t : delta) {
                if (!t.name().equals(p.name())) continue;
                float[] d = t.floats();
                double unit = Math.scalb((double) scale, p.format().frac()); // real units -> this parameter's grid steps
                for (int i = 0, o = p.offset(); i < d.length; i++) {
                    long q = (long) Math.floor(a[o + i] + d[i] * unit + roundingRng.nextDouble()); // stochastic rounding
                    a[o + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, q));
                }
            }
        }
    }

    private void loadChecked(List<TensorData> tensors) {
        short[] a = arena.shorts();
        for (FixedParameter p : net.parameters()) {
            for (TensorData t : tensors) if (t.name().equals(p.name())) p.load(a, t.floats());
        }
        calibrated = false;
    }

    /** The weights dequantized to fp32 with PyTorch names: what a model file and safetensors carry. */
    @Override
    public List<TensorData> exportTensors() {
        List<TensorData> out = new ArrayList<>();
        for (FixedParameter p : net.parameters()) out.add(TensorData.ofFloats(p.name(), p.shape(), p.toFloats(arena.shorts())));
        return out;
    }

    /**
     * Pins every weight and bias to one hand-set Q-format ({@code real = q·2^-frac}) instead of the adaptive rule: the
     * setting of Gupta et al.'s experiments, where round-to-nearest loses small updates. The values are re-quantized.
     */
    public void pinParameterFormats(int frac) {
        List<TensorData> current = exportTensors();
        for (FixedParameter p : net.parameters()) p.format().pin(frac);
        loadChecked(current);
    }

    // ---- training ----

    /** One training step on {@code rows} contiguous rows of {@code x} (row-major) and their targets. */
    @Override
    public float step(float[] x, int xOffset, float[] y, int yOffset, int rows) {
        checkRows(rows);
        System.arraycopy(y, yOffset, arena.data(), targets, rows * targetWidth);
        srcX = x;
        srcOrder = null;
        srcFrom = xOffset;
        return run(rows);
    }

    /** One training step on rows {@code order[from .. from+rows)} of a dataset (the shuffled path). */
    @Override
    public float step(float[] x, float[] y, int[] order, int from, int rows) {
        checkRows(rows);
        float[] f = arena.data();
        for (int r = 0; r < rows; r++) System.arraycopy(y, order[from + r] * targetWidth, f, targets + r * targetWidth, targetWidth);
        srcX = x;
        srcOrder = order;
        srcFrom = from;
        return run(rows);
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > net.batchCapacity()) throw new IllegalArgumentException("rows must be in 1.." + net.batchCapacity() + ", got " + rows);
    }

    private void quantizeBatch(int rows) {
        int in = net.inputWidth();
        if (srcOrder == null) {
            net.quantizeInput(srcX, srcFrom, rows);
        } else {
            for (int r = 0; r < rows; r++) net.quantizeInputRow(srcX, srcOrder[srcFrom + r] * in, r);
        }
    }

    private float forwardBackward(int rows) {
        return forwardBackward(rows, false);
    }

    /** Forward, loss and backward of the current batch; returns the loss. {@code sample}: the monitor reads the forward. */
    private float forwardBackward(int rows, boolean sample) {
        float[] f = arena.data();
        int n = net.lossWidth();
        quantizeBatch(rows);
        net.forward(rows, true);
        if (sample) monitor.afterForward(rows);
        net.dequantizeLogits(f, logits, rows);
        float l = loss.forwardBackward(f, logits, targets, dlogits, rows, n);
        net.quantizeLossGradient(f, dlogits, rows);
        net.backward(rows);
        return l;
    }

    /**
     * Loss and int16 gradients of {@code rows} rows at the current weights, in training mode, without an update (the
     * doctor's gradient check); the first call calibrates the formats on these rows like the first step does.
     */
    public float lossAndGradients(float[] x, int xOffset, float[] y, int yOffset, int rows) {
        checkRows(rows);
        System.arraycopy(y, yOffset, arena.data(), targets, rows * targetWidth);
        srcX = x;
        srcOrder = null;
        srcFrom = xOffset;
        if (!calibrated) calibrate(rows);
        float l = forwardBackward(rows);
        for (QFormat q : activationFormats) q.clear(); // a check must not steer the scales of training
        return l;
    }

    /** The parameter gradients of the last forward and backward, dequantized, with PyTorch names. */
    public List<TensorData> exportGradients() {
        List<TensorData> out = new ArrayList<>();
        short[] a = arena.shorts();
        for (FixedParameter p : params) {
            float[] g = new float[p.size()];
            for (int i = 0; i < g.length; i++) g[i] = p.gradFormat().real(a[p.gradOffset() + i]);
            out.add(TensorData.ofFloats(p.name(), p.shape(), g));
        }
        return out;
    }

    /** Fits every activation and gradient format to what the first batch produces (a few passes, no update). */
    private void calibrate(int rows) {
        for (int pass = 0; pass < CALIBRATION_PASSES; pass++) {
            forwardBackward(rows);
            for (QFormat q : activationFormats) q.fitObserved();
        }
        for (FixedParameter p : params) {
            // the velocity starts at 0 and settles near |g|/(1−μ): give it that much headroom over the gradient
            if (p.velocityFormat() != null) p.velocityFormat().fitReal(Math.scalb(1.0, 13 - p.gradFormat().frac() + 4));
            p.format().clear();
        }
        calibrated = true;
    }

    private float run(int rows) {
        if (!calibrated) calibrate(rows);
        rolledBack = false;
        normMeasured = false;
        long step = steps;
        boolean sample = monitor.due(step);
        // the norm is exact integer arithmetic: needed for clipping, the guard and a health sample, else a statistic
        boolean measure = spec.clipping().maxNorm() > 0f || guard != null || sample || step % FitLoop.NORM_EVERY == 0;
        // batch 1 with momentum and no norm to take: each dense layer computes its weight gradient inside the update
        // during backward (FixedKernels.denseGradMomentum), same bits, one pass over the weights instead of three
        boolean fuse = rows == 1 && !measure && spec.optimizer().kind() == OptimizerSpec.Kind.MOMENTUM;
        if (fuse) {
            lastLr = schedule.lr(spec.optimizer().lr(), step);
            prepareMomentum(lastLr, 1.0, true);
        }
        float l = forwardBackward(rows, sample);
        lastLoss = l;
        lastCorrect = Trainer.countCorrect(spec.loss(), arena.data(), logits, targets, rows, net.lossWidth());
        if (guard != null && guard.lossBad(l)) return rollback(step);
        if (!Float.isFinite(l)) monitor.observeNonFinite(step, "loss");
        monitor.observeLoss(l);
        double clip = 1.0;
        double norm = Double.NaN;
        if (measure) {
            norm = gradientNorm();
            lastGradNorm = norm;
            normMeasured = true;
            float max = spec.clipping().maxNorm();
            if (max > 0f && norm > max) clip = max / (norm + 1e-6);
        }
        if (guard != null && guard.gradientBad(norm)) return rollback(step);
        if (sample) monitor.beforeUpdate();
        if (!fuse) lastLr = schedule.lr(spec.optimizer().lr(), step) * (guard == null ? 1f : guard.lrScale());
        update(lastLr, clip, fuse);
        adapt();
        steps++;
        if (sample) monitor.afterUpdate(step, norm);
        if (guard != null) guard.afterGoodStep(l);
        return l;
    }

    @Override
    void afterRollback() {
        for (QFormat q : activationFormats) q.clear(); // the undone step's statistics must not steer the scales
    }

    /** ‖g‖ over every gradient: exact integer sums of squares, scaled by each tensor's 2^(−2·frac), in a fixed order. */
    private double gradientNorm() {
        short[] a = arena.shorts();
        double total = 0;
        for (FixedParameter p : params) {
            long s = 0;
            for (int i = p.gradOffset(); i < p.gradOffset() + p.size(); i++) s += a[i] * a[i];
            total += Math.scalb((double) s, -2 * p.gradFormat().frac());
        }
        return Math.sqrt(total);
    }

    /** The update; {@code prepared}: the momentum coefficients were set before backward, which applied what it could. */
    private void update(float lr, double clip, boolean prepared) {
        short[] a = arena.shorts();
        OptimizerSpec o = spec.optimizer();
        if (o.kind() == OptimizerSpec.Kind.MOMENTUM) {
            if (!prepared) prepareMomentum(lr, clip, false);
            for (FixedParameter p : params) p.applyMomentum(a, kernels);
            return;
        }
        boolean stochastic = rounding == Rounding.STOCHASTIC;
        double wd = o.weightDecay();
        for (FixedParameter p : params) {
            int fp = p.format().frac(), fg = p.gradFormat().frac();
            double c = lr * clip * Math.scalb(1.0, fp - fg); // lr·g in p's last bits per unit of g's last bit
            double d = (double) lr * wd;
            kernels.sgdStep(a, p.offset(), p.gradOffset(), p.size(), Coefficient.mantissa(c), Coefficient.shift(c), Coefficient.mantissa(d),
                    Coefficient.shift(d), roundingRng.nextInt(), stochastic, p.format().stats());
        }
    }

    /**
     * Momentum's coefficients for this step into every parameter, its two rounding keys drawn in parameter order (so
     * fusing, which applies them in backward's layer order, draws the same keys as the plain update).
     */
    private void prepareMomentum(float lr, double clip, boolean fuse) {
        OptimizerSpec o = spec.optimizer();
        boolean stochastic = rounding == Rounding.STOCHASTIC;
        double wd = o.weightDecay();
        double mu = o.momentum();
        for (FixedParameter p : params) {
            int fp = p.format().frac(), fg = p.gradFormat().frac(), fv = p.velocityFormat().frac();
            double cg = clip * Math.scalb(1.0, fv - fg);
            double cp = wd * Math.scalb(1.0, fv - fp);
            double cl = lr * Math.scalb(1.0, fp - fv);
            int keyV = roundingRng.nextInt(), keyP = roundingRng.nextInt();
            p.prepareMomentum(Coefficient.mantissa(mu), Coefficient.shift(mu), Coefficient.mantissa(cg), Coefficient.shift(cg),
                    Coefficient.mantissa(cp), Coefficient.shift(cp), Coefficient.mantissa(cl), Coefficient.shift(cl), keyV, keyP, stochastic,
                    fuse);
        }
    }

    /** The scale rule for every tensor after a step; stored tensors move to their new grid. */
    private void adapt() {
        for (QFormat q : activationFormats) q.adapt();
        short[] a = arena.shorts();
        for (FixedParameter p : params) {
            FixedParameter.rescale(a, p.offset(), p.size(), p.format().adapt());
            if (p.velocityFormat() != null) FixedParameter.rescale(a, p.velocityOffset(), p.size(), p.velocityFormat().adapt());
        }
    }

    /** Metrics of the fixed-point network itself (int16 forward, no dropout) over standardized data. */
    @Override
    public Evaluation evaluate(Dataset d) {
        Evaluation e = FixedEvaluation.run(this, d);
        for (QFormat q : activationFormats) q.clear(); // evaluation must not steer the scales of training
        return e;
    }

    /**
     * The loss of {@code rows} rows from the int16 forward in evaluation mode (the daemon's anomaly score); neither
     * weights nor the formats' statistics change. Allocates nothing.
     */
    @Override
    public float score(float[] x, int xOffset, float[] y, int yOffset, int rows) {
        checkRows(rows);
        float[] f = arena.data();
        System.arraycopy(y, yOffset, f, targets, rows * targetWidth);
        inferBatch(x, xOffset, rows);
        float l = loss.forwardBackward(f, logits, targets, dlogits, rows, net.lossWidth()); // dlogits is scratch until the next step
        for (QFormat q : activationFormats) q.clear(); // scoring must not steer the scales of training
        return l;
    }

    // ---- checkpoints ----

    @Override
    public void saveState(StateSections c) {
        short[] a = arena.shorts();
        int n = 0;
        for (FixedParameter fp : params) n += fp.size() * (fp.velocityOffset() >= 0 ? 2 : 1);
        int[] values = new int[n];
        int at = 0;
        for (FixedParameter fp : params) {
            for (int i = 0; i < fp.size(); i++) values[at++] = a[fp.offset() + i];
            if (fp.velocityOffset() >= 0) for (int i = 0; i < fp.size(); i++) values[at++] = a[fp.velocityOffset() + i];
        }
        c.ints("trainer.int16", values);
        long[] formats = new long[stateFormats.length * QFormat.STATE_LONGS];
        for (int i = 0; i < stateFormats.length; i++) stateFormats[i].saveState(formats, i * QFormat.STATE_LONGS);
        c.longs("trainer.formats", formats);
        c.longs("trainer.counters", new long[] {steps, calibrated ? 1 : 0});
        c.ints("trainer.rng.shuffle", shuffleRng.state());
        c.ints("trainer.rng.dropout", net.dropoutRng().state());
        c.ints("trainer.rng.rounding", roundingRng.state());
        c.floats("trainer.lr_scale", new float[] {guard == null ? 1f : guard.lrScale()});
    }

    @Override
    public void loadState(StateSections c) {
        if (!c.has("trainer.int16")) {
            throw new org.edgetrain.BadInputException("checkpoint holds fp32 state; this config trains in fixed point (engine.precision)");
        }
        int[] values = c.ints("trainer.int16");
        long[] formats = c.longs("trainer.formats");
        int n = 0;
        for (FixedParameter fp : params) n += fp.size() * (fp.velocityOffset() >= 0 ? 2 : 1);
        if (values.length != n || formats.length != stateFormats.length * QFormat.STATE_LONGS) {
            throw new org.edgetrain.BadInputException("checkpoint holds " + values.length + " int16 values, this model and optimizer plan "
                    + n + ": it was written for another config");
        }
        short[] a = arena.shorts();
        int at = 0;
        for (FixedParameter fp : params) {
            for (int i = 0; i < fp.size(); i++) a[fp.offset() + i] = (short) values[at++];
            if (fp.velocityOffset() >= 0) for (int i = 0; i < fp.size(); i++) a[fp.velocityOffset() + i] = (short) values[at++];
        }
        for (int i = 0; i < stateFormats.length; i++) stateFormats[i].loadState(formats, i * QFormat.STATE_LONGS);
        long[] counters = c.longs("trainer.counters");
        steps = counters[0];
        calibrated = counters[1] != 0;
        shuffleRng.setState(c.ints("trainer.rng.shuffle"));
        net.dropoutRng().setState(c.ints("trainer.rng.dropout"));
        roundingRng.setState(c.ints("trainer.rng.rounding"));
        if (guard != null) {
            guard.setLrScale(c.floats("trainer.lr_scale")[0]);
            guard.takeSnapshot();
        }
    }

    /** Forward in evaluation mode over {@code rows} rows of {@code x} from {@code xOffset}; logits land in {@link #logitsOffset}. */
    void inferBatch(float[] x, int xOffset, int rows) {
        net.quantizeInput(x, xOffset, rows);
        net.forward(rows, false);
        net.dequantizeLogits(arena.data(), logits, rows);
    }

    int logitsOffset() {
        return logits;
    }

    // ---- statistics ----

    /** Values clipped to the int16 range so far, over every tensor. */
    public long saturations() {
        long s = 0;
        for (QFormat q : formats()) s += q.saturations();
        return s;
    }

    /** Every format: parameters, their gradients and velocities, activations and activation gradients. */
    public List<QFormat> formats() {
        List<QFormat> all = new ArrayList<>();
        for (FixedParameter p : net.parameters()) {
            all.add(p.format());
            if (p.velocityFormat() != null) all.add(p.velocityFormat());
        }
        all.addAll(net.activationFormats());
        return all;
    }

    /** One line: saturations in total and the tensors that saturated most, with their current formats. */
    public String saturationSummary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "saturations %,d", saturations()));
        List<QFormat> all = formats();
        all.sort((p, q) -> Long.compare(q.saturations(), p.saturations()));
        for (int i = 0; i < Math.min(3, all.size()) && all.get(i).saturations() > 0; i++) {
            sb.append(i == 0 ? " (" : ", ").append(all.get(i).name()).append(' ').append(String.format(Locale.ROOT, "%,d", all.get(i).saturations()));
            if (i == Math.min(3, all.size()) - 1 || all.get(i + 1).saturations() == 0) sb.append(')');
        }
        return sb.toString();
    }

    /**
     * SHA-256 (first 16 hex digits) of the int16 weights and their formats: equal digests mean bit-identical fixed-point
     * training, which {@code edgetrain selftest} compares across kernels and boards.
     */
    public String weightDigest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            short[] a = arena.shorts();
            for (FixedParameter p : net.parameters()) {
                ByteBuffer bb = ByteBuffer.allocate(4 + 2 * p.size());
                bb.putInt(p.format().frac());
                for (int i = 0; i < p.size(); i++) bb.putShort(a[p.offset() + i]);
                md.update(bb.array());
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- accessors ----

    public FixedNetwork network() {
        return net;
    }

    public FixedKernels kernels() {
        return kernels;
    }

    public Rounding rounding() {
        return rounding;
    }

    public Loss loss() {
        return loss.loss();
    }

    public long steps() {
        return steps;
    }

    @Override
    public int inputWidth() {
        return net.inputWidth();
    }

    @Override
    public String precision() {
        return "int16";
    }

    @Override
    public String kernelDescription() {
        return kernels.name();
    }

    @Override
    public long trainableParameterCount() {
        long n = 0;
        for (FixedParameter fp : params) n += fp.size();
        return n;
    }

    @Override
    public String precisionNote() {
        return saturationSummary();
    }

    @Override
    public void describeInto(java.util.Map<String, String> info) {
        info.put("precision", "fixed (int16, " + rounding.configName() + " rounding), exported as fp32");
        info.put("saturations", Long.toString(saturations()));
        info.put("fixed_digest", weightDigest());
    }
}
