package org.edgetrain.train;

import java.util.List;
import org.edgetrain.monitor.Finding;
import org.edgetrain.monitor.Guard;
import org.edgetrain.monitor.HealthMonitor;
import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.kernels.Kernels;
import org.edgetrain.loss.Loss;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.Arena;
import org.edgetrain.memory.MemoryPlan;
import org.edgetrain.memory.Region;
import org.edgetrain.memory.Slot;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.nn.StateDict;
import org.edgetrain.nn.TensorData;
import org.edgetrain.optim.Optimizer;
import org.edgetrain.optim.Schedule;
import org.edgetrain.util.Rng;
import org.edgetrain.util.StateSections;

/**
 * Trains a network: one {@link #step} is copy batch in → forward → loss → backward → clip → update, over one arena
 * planned at construction; after warm-up a step allocates nothing on the Java heap.
 *
 * <pre>{@code
 * NetworkSpec net = NetworkSpec.builder(64).dense(128).leakyRelu().dense(10).build();
 * Trainer trainer = new Trainer(net, TrainingSpec.defaults(LossKind.CROSS_ENTROPY), new JavaKernels());
 * trainer.fit(train, validation, report -> System.out.println(report.line()));
 * }</pre>
 */
public final class Trainer extends TrainingStep {
    private final Kernels kernels;
    private final Network net;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Evaluator evaluator;
    private final int targets;

    /** Plans, allocates the arena once, and initializes from the seed; no health statistics, no guard. */
    public Trainer(NetworkSpec netSpec, TrainingSpec spec, Kernels kernels) {
        this(netSpec, spec, kernels, HealthSpec.OFF);
    }

    /** As above, with health statistics and (if {@code health.guard()}) the guard, their memory in the same arena. */
    public Trainer(NetworkSpec netSpec, TrainingSpec spec, Kernels kernels, HealthSpec health) {
        this.netSpec = netSpec;
        this.spec = spec;
        this.kernels = kernels;
        Planned p = planned(netSpec, spec, health);
        this.plan = p.plan;
        this.net = p.net;
        this.loss = Loss.of(spec.loss(), spec.huberDelta());
        this.optimizer = p.optimizer;
        this.targetWidth = loss.targetWidth(net.lossWidth());
        this.arena = new Arena(plan);
        net.bind(arena, kernels);
        optimizer.bind();
        this.monitor = p.monitor;
        monitor.bind(arena.data());
        monitor.setClipNorm(spec.clipping().maxNorm());
        this.guard = health.guard() ? new Guard(health, net, optimizer) : null;
        if (guard != null) guard.bind(arena.data(), plan, monitor.snapshotOffset());
        this.targets = p.targets.offset();
        this.evaluator = new Evaluator(net, loss, targets);
        this.shuffleRng = Rng.stream(spec.seed(), "shuffle");
        this.schedule = spec.schedule();
    }

    /** The memory a trainer for this network and training setup would allocate, without allocating it. */
    public static MemoryPlan plan(NetworkSpec netSpec, TrainingSpec spec) {
        return plan(netSpec, spec, HealthSpec.OFF);
    }

    /** The memory with health statistics and guard as {@code health} asks. */
    public static MemoryPlan plan(NetworkSpec netSpec, TrainingSpec spec, HealthSpec health) {
        return planned(netSpec, spec, health).plan;
    }

    private record Planned(MemoryPlan plan, Network net, Optimizer optimizer, Slot targets, HealthMonitor monitor) { }

    private static Planned planned(NetworkSpec netSpec, TrainingSpec spec, HealthSpec health) {
        MemoryPlan.Builder b = MemoryPlan.builder().title("memory plan: " + netSpec.shortName() + ", batch " + spec.batch() + ", "
                + spec.optimizer().kind().configName() + ", fp32" + (health.statistics() ? ", health every " + health.every() : "")
                + (health.guard() ? ", guard" : ""));
        boolean fuse = spec.loss() == LossKind.CROSS_ENTROPY || spec.loss() == LossKind.BCE;
        Network net = new Network(netSpec, spec.batch(), fuse, spec.seed(), b);
        int tw = Loss.of(spec.loss(), spec.huberDelta()).targetWidth(net.lossWidth());
        Slot targets = b.add(Region.INPUTS, "loss", "targets [" + spec.batch() + ", " + tw + "]", (long) spec.batch() * tw);
        Optimizer opt = Optimizer.create(spec.optimizer(), b, net.trainableFloats());
        int snapshot = health.guard() ? Guard.persistentFloats(net, opt.stateOffsets().length) : 0;
        HealthMonitor monitor = new HealthMonitor(health, net, b, snapshot);
        return new Planned(b.build(), net, opt, targets, monitor);
    }

    /** One training step on {@code rows} contiguous rows of {@code x} (row-major) and their targets. */
    @Override
    public float step(float[] x, int xOffset, float[] y, int yOffset, int rows) {
        checkRows(rows);
        float[] a = arena.data();
        int in = net.inputWidth();
        System.arraycopy(x, xOffset, a, net.inputOffset(), rows * in);
        System.arraycopy(y, yOffset, a, targets, rows * targetWidth);
        return run(rows);
    }

    /** One training step on rows {@code order[from .. from+rows)} of a dataset (the shuffled path). */
    @Override
    public float step(float[] x, float[] y, int[] order, int from, int rows) {
        checkRows(rows);
        float[] a = arena.data();
        int in = net.inputWidth();
        int xi = net.inputOffset();
        for (int r = 0; r < rows; r++) {
            int row = order[from + r];
            System.arraycopy(x, row * in, a, xi + r * in, in);
            System.arraycopy(y, row * targetWidth, a, targets + r * targetWidth, targetWidth);
        }
        return run(rows);
    }

    /**
     * Loss and parameter gradients of {@code rows} rows at the current weights, in training mode, without an update
     * (gradient checks and diagnosis; {@code withGradients} false runs the forward and the loss only).
     */
    public float lossAndGradients(float[] x, int xOffset, float[] y, int yOffset, int rows, boolean withGradients) {
        checkRows(rows);
        float[] a = arena.data();
        System.arraycopy(x, xOffset, a, net.inputOffset(), rows * net.inputWidth());
        System.arraycopy(y, yOffset, a, targets, rows * targetWidth);
        net.forward(rows, true);
        float l = loss.forwardBackward(kernels, a, net.lossInputOffset(), targets, net.lossGradOffset(), rows, net.lossWidth());
        if (withGradients && net.trainableFloats() > 0) net.backward(rows, false);
        return l;
    }

    /**
     * The loss of {@code rows} rows in evaluation mode (dropout off, batch norm on its running statistics), without
     * touching gradients or weights: the daemon's per-window anomaly score. Allocates nothing.
     */
    @Override
    public float score(float[] x, int xOffset, float[] y, int yOffset, int rows) {
        checkRows(rows);
        float[] a = arena.data();
        System.arraycopy(x, xOffset, a, net.inputOffset(), rows * net.inputWidth());
        System.arraycopy(y, yOffset, a, targets, rows * targetWidth);
        net.forward(rows, false);
        return loss.forwardBackward(kernels, a, net.lossInputOffset(), targets, net.lossGradOffset(), rows, net.lossWidth());
    }

    private void checkRows(int rows) {
        if (rows < 1 || rows > net.batchCapacity()) {
            throw new IllegalArgumentException("rows must be in 1.." + net.batchCapacity() + ", got " + rows);
        }
    }

    private float run(int rows) {
        float[] a = arena.data();
        long step = optimizer.steps();
        boolean sample = monitor.due(step);
        rolledBack = false;
        normMeasured = false;
        net.forward(rows, true);
        int n = net.lossWidth();
        float l = loss.forwardBackward(kernels, a, net.lossInputOffset(), targets, net.lossGradOffset(), rows, n);
        lastCorrect = countCorrect(loss.kind(), a, net.lossInputOffset(), targets, rows, n);
        lastLoss = l;
        if (guard != null && guard.lossBad(l)) return rollback(step);
        if (!Float.isFinite(l)) monitor.observeNonFinite(step, "loss");
        monitor.observeLoss(l);
        if (sample) monitor.afterForward(rows);
        int floats = net.trainableFloats();
        if (floats > 0) {
            net.backward(rows, false); // overwrites every gradient: no zeroing pass
            // without norm clipping, guard or a health sample the norm is only a statistic: every NORM_EVERY steps
            boolean measure = guard != null || sample || step % FitLoop.NORM_EVERY == 0;
            double norm = spec.clipping().apply(kernels, a, net.gradientOffset(), floats, measure);
            if (!Double.isNaN(norm)) {
                lastGradNorm = norm;
                normMeasured = true;
            }
            if (guard != null && guard.gradientBad(norm)) return rollback(step); // before the update: weights stay finite
            if (sample) monitor.beforeUpdate();
            lastLr = schedule.lr(spec.optimizer().lr(), step) * (guard == null ? 1f : guard.lrScale());
            optimizer.step(kernels, a, net.parameterOffset(), net.gradientOffset(), floats, lastLr);
            if (sample) monitor.afterUpdate(step, norm);
        }
        if (guard != null) guard.afterGoodStep(l);
        return l;
    }

    /**
     * Correct predictions among {@code rows} rows of logits at {@code z} (width {@code n}) against their targets at
     * {@code t}: the argmax for cross-entropy, logit above 0 for BCE, 0 for regression. Shared with the fixed-point
     * trainer, whose logits are dequantized into the same layout.
     */
    public static int countCorrect(LossKind kind, float[] a, int z, int t, int rows, int n) {
        int c = 0;
        if (kind == LossKind.CROSS_ENTROPY) {
            for (int r = 0; r < rows; r++) if (Evaluator.argmax(a, z + r * n, n) == (int) a[t + r]) c++;
        } else if (kind == LossKind.BCE) {
            for (int i = 0; i < rows * n; i++) if ((a[z + i] > 0f) == (a[t + i] > 0.5f)) c++;
        }
        return c;
    }

    /** Metrics over a standardized dataset, in evaluation mode. */
    @Override
    public Evaluation evaluate(Dataset d) {
        return evaluator.evaluate(d);
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    public Network network() {
        return net;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Kernels kernels() {
        return kernels;
    }

    public Loss loss() {
        return loss;
    }

    @Override
    public long steps() {
        return optimizer.steps();
    }

    /**
     * Writes what resuming needs into a checkpoint: parameters, running statistics and optimizer state (the arena's
     * persistent regions), counters, the optimizer's step, the shuffle and dropout generators and the guard's rate.
     */
    @Override
    public void saveState(StateSections c) {
        float[] a = arena.data();
        MemoryPlan.PersistentState r = plan.persistentState();
        float[] state = new float[r.floats()];
        System.arraycopy(a, r.stateBase(), state, 0, r.stateFloats());
        System.arraycopy(a, r.optimizerBase(), state, r.stateFloats(), r.optimizerFloats());
        c.floats("trainer.state", state);
        java.util.List<org.edgetrain.nn.Parameter> counters = new java.util.ArrayList<>();
        for (org.edgetrain.nn.Parameter p : net.state()) if (p.isCounter()) counters.add(p);
        long[] cv = new long[counters.size() + 1];
        cv[0] = optimizer.steps();
        for (int i = 0; i < counters.size(); i++) cv[i + 1] = counters.get(i).counterValue();
        c.longs("trainer.counters", cv);
        c.ints("trainer.rng.shuffle", shuffleRng.state());
        c.ints("trainer.rng.dropout", net.dropoutRng().state());
        c.floats("trainer.lr_scale", new float[] {guard == null ? 1f : guard.lrScale()});
    }

    /** Restores what {@link #saveState} wrote; the checkpoint must come from a trainer with the same plan. */
    @Override
    public void loadState(StateSections c) {
        float[] a = arena.data();
        MemoryPlan.PersistentState r = plan.persistentState();
        float[] state = c.floats("trainer.state");
        if (state.length != r.floats()) {
            throw new org.edgetrain.BadInputException("checkpoint holds " + state.length + " state floats, this model and optimizer plan "
                    + r.floats() + ": it was written for another config");
        }
        long[] cv = c.longs("trainer.counters");
        java.util.List<org.edgetrain.nn.Parameter> counters = new java.util.ArrayList<>();
        for (org.edgetrain.nn.Parameter p : net.state()) if (p.isCounter()) counters.add(p);
        if (cv.length != counters.size() + 1) throw new org.edgetrain.BadInputException("checkpoint counters do not match this model");
        System.arraycopy(state, 0, a, r.stateBase(), r.stateFloats());
        System.arraycopy(state, r.stateFloats(), a, r.optimizerBase(), r.optimizerFloats());
        optimizer.setSteps(cv[0]);
        for (int i = 0; i < counters.size(); i++) counters.get(i).setCounter(cv[i + 1]);
        shuffleRng.setState(c.ints("trainer.rng.shuffle"));
        net.dropoutRng().setState(c.ints("trainer.rng.dropout"));
        if (guard != null) {
            guard.setLrScale(c.floats("trainer.lr_scale")[0]);
            guard.takeSnapshot();
        }
    }

    @Override
    public List<TensorData> exportTensors() {
        return StateDict.export(net);
    }

    @Override
    public void importTensors(List<TensorData> tensors, String source) {
        StateDict.load(net, tensors, source);
        if (guard != null) guard.takeSnapshot(); // the guard's last good state is now these weights
    }

    @Override
    public void restartOptimizer() {
        optimizer.restart(net.arena(), net.trainableFloats());
    }

    @Override
    public void addToTrainable(List<TensorData> delta, float scale) {
        float[] a = net.arena();
        for (org.edgetrain.nn.Parameter p : net.state()) {
            if (p.kind() != org.edgetrain.nn.Parameter.Kind.TRAINABLE) continue;
            for (TensorData t : delta) {
                if (!t.name().equals(p.name())) continue;
                float[] d = t.floats();
                for (int i = 0, o = p.offset(); i < d.length; i++) a[o + i] += scale * d[i];
            }
        }
    }

    @Override
    public String precision() {
        return "fp32";
    }

    @Override
    public int inputWidth() {
        return net.inputWidth();
    }

    @Override
    public String kernelDescription() {
        return org.edgetrain.kernels.KernelLoader.describe(kernels);
    }

    @Override
    public long trainableParameterCount() {
        return net.trainableParameterCount();
    }
}
