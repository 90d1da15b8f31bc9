package org.edgetrain.fixed;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.edgetrain.io.TensorData;
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
import org.edgetrain.train.Dataset;
import org.edgetrain.train.EpochReport;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Trainer;
import org.edgetrain.train.TrainingSpec;
import org.edgetrain.util.Rng;

/**
 * Trains a network in fixed point ({@code engine.precision = fixed}). One {@link #step}: quantize the batch → int16
 * forward → dequantize the logits → fp32 loss and dL/dlogits → quantize → int16 backward → gradient norm (clipping
 * folds into the learning rate) → int16 update with stochastic or nearest rounding → adapt every format
 * ({@link QFormat}). The first step first calibrates the formats on its batch. After warm-up a step allocates nothing.
 *
 * <p>Starts from the same seeded weights as fp32 training; {@link #importTensors} loads fp32 weights and
 * {@link #exportTensors} gives them back dequantized, with PyTorch names.
 */
public final class FixedTrainer {
    /** Calibration passes over the first batch before the first update. */
    static final int CALIBRATION_PASSES = 3;
    static final int NORM_EVERY = 16;

    private final NetworkSpec netSpec;
    private final TrainingSpec spec;
    private final FixedKernels kernels;
    private final Rounding rounding;
    private final MemoryPlan plan;
    private final Arena arena;
    private final FixedNetwork net;
    private final OutputLoss loss;
    private final Rng shuffleRng;
    private final Rng roundingRng;
    private final int logits, dlogits, targets, targetWidth;
    private final FixedParameter[] params; // arrays, not lists: the step iterates without an Iterator
    private final QFormat[] activationFormats;
    private Schedule schedule;
    private boolean calibrated;
    private long steps;
    private float lastLr;
    private double lastGradNorm = Double.NaN;
    private boolean normMeasured;
    private int lastCorrect;
    // where the current batch comes from, so calibration can quantize it again under new formats
    private float[] srcX;
    private int[] srcOrder;
    private int srcFrom;

    /** Plans, allocates the arena once, and starts from the fp32 network's seeded weights. */
    public FixedTrainer(NetworkSpec netSpec, TrainingSpec spec, FixedKernels kernels, Rounding rounding) {
        String why = FixedSupport.unsupported(netSpec.layers(), !netSpec.frozen().isEmpty(), spec);
        if (why != null) throw new IllegalArgumentException(why + "; supported: " + FixedSupport.SUPPORTED);
        this.netSpec = netSpec;
        this.spec = spec;
        this.kernels = kernels;
        this.rounding = rounding;
        Planned p = planned(netSpec, spec);
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
        loadChecked(FloatBridge.initial(netSpec, spec.seed()));
    }

    /** The memory a fixed-point trainer would allocate, without allocating it. */
    public static MemoryPlan plan(NetworkSpec netSpec, TrainingSpec spec) {
        return planned(netSpec, spec).plan;
    }

    private record Planned(MemoryPlan plan, FixedNetwork net, Slot logits, Slot dlogits, Slot targets) { }

    private static Planned planned(NetworkSpec netSpec, TrainingSpec spec) {
        MemoryPlan.Builder b = MemoryPlan.builder().title(String.format(Locale.ROOT, "memory plan: %s, batch %d, %s, fixed point (int16)",
                netSpec.shortName(), spec.batch(), spec.optimizer().kind().configName()));
        LayerSpec last = netSpec.layers().get(netSpec.layers().size() - 1);
        boolean skipFinal = last instanceof LayerSpec.Softmax && spec.loss() == LossKind.CROSS_ENTROPY
                || last instanceof LayerSpec.Sigmoid && spec.loss() == LossKind.BCE;
        FixedNetwork net = new FixedNetwork(netSpec, spec.batch(), skipFinal, spec.seed(), b);
        int n = net.lossWidth(), batch = spec.batch();
        int tw = Loss.of(spec.loss(), spec.huberDelta()).targetWidth(n);
        Slot targets = b.add(ElementType.F32, Region.INPUTS, "loss", "targets [" + batch + ", " + tw + "]", batch * tw);
        Slot logits = b.add(ElementType.F32, Region.ACTIVATIONS, "loss", "logits, dequantized [" + batch + ", " + n + "]", batch * n);
        Slot dlogits = b.add(ElementType.F32, Region.ACTIVATION_GRADIENTS, "loss", "dL/dlogits [" + batch + ", " + n + "]", batch * n);
        if (spec.optimizer().kind() == OptimizerSpec.Kind.MOMENTUM) {
            for (FixedParameter p : net.parameters()) {
                String owner = p.name.substring(0, p.name.indexOf('.'));
                p.velocity = b.add(ElementType.I16, Region.OPTIMIZER_STATE, owner, "velocity " + p.name.substring(owner.length() + 1)
                        + shapeText(p.shape), p.size);
                p.velocityFormat = new QFormat("v" + p.name, 15, true);
            }
        }
        return new Planned(b.build(), net, logits, dlogits, targets);
    }

    private static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder(" [");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(']').toString();
    }

    // ---- conversion ----

    /** Loads fp32 tensors (a model file's or safetensors', PyTorch names), checked strictly against the spec. */
    public void importTensors(List<TensorData> tensors, String source) {
        loadChecked(FloatBridge.checked(netSpec, tensors, source));
    }

    private void loadChecked(List<TensorData> tensors) {
        short[] a = arena.shorts();
        for (FixedParameter p : net.parameters()) {
            for (TensorData t : tensors) if (t.name().equals(p.name)) p.load(a, t.floats());
        }
        calibrated = false;
    }

    /** The weights dequantized to fp32 with PyTorch names: what a model file and safetensors carry. */
    public List<TensorData> exportTensors() {
        List<TensorData> out = new ArrayList<>();
        for (FixedParameter p : net.parameters()) out.add(TensorData.ofFloats(p.name, p.shape, p.toFloats(arena.shorts())));
        return out;
    }

    /**
     * Pins every weight and bias to one hand-set Q-format ({@code real = q·2^-frac}) instead of the adaptive rule: the
     * setting of Gupta et al.'s experiments, where round-to-nearest loses small updates. The values are re-quantized.
     */
    public void pinParameterFormats(int frac) {
        List<TensorData> current = exportTensors();
        for (FixedParameter p : net.parameters()) p.format.pin(frac);
        loadChecked(current);
    }

    // ---- training ----

    /** One training step on {@code rows} contiguous rows of {@code x} (row-major) and their targets. */
    public float step(float[] x, int xOffset, float[] y, int yOffset, int rows) {
        checkRows(rows);
        System.arraycopy(y, yOffset, arena.data(), targets, rows * targetWidth);
        srcX = x;
        srcOrder = null;
        srcFrom = xOffset;
        return run(rows);
    }

    /** One training step on rows {@code order[from .. from+rows)} of a dataset (the shuffled path). */
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

    /** Forward, loss and backward of the current batch; returns the loss. */
    private float forwardBackward(int rows) {
        float[] f = arena.data();
        int n = net.lossWidth();
        quantizeBatch(rows);
        net.forward(rows, true);
        net.dequantizeLogits(f, logits, rows);
        float l = loss.forwardBackward(f, logits, targets, dlogits, rows, n);
        net.quantizeLossGradient(f, dlogits, rows);
        net.backward(rows);
        return l;
    }

    /** Fits every activation and gradient format to what the first batch produces (a few passes, no update). */
    private void calibrate(int rows) {
        for (int pass = 0; pass < CALIBRATION_PASSES; pass++) {
            forwardBackward(rows);
            for (QFormat q : activationFormats) q.fitObserved();
        }
        for (FixedParameter p : params) {
            // the velocity starts at 0 and settles near |g|/(1−μ): give it that much headroom over the gradient
            if (p.velocityFormat != null) p.velocityFormat.fitReal(Math.scalb(1.0, 13 - p.gradFormat.frac() + 4));
            p.format.clear();
        }
        calibrated = true;
    }

    private float run(int rows) {
        if (!calibrated) calibrate(rows);
        float l = forwardBackward(rows);
        lastCorrect = Trainer.countCorrect(spec.loss(), arena.data(), logits, targets, rows, net.lossWidth());
        boolean measure = spec.clipping().maxNorm() > 0f || steps % NORM_EVERY == 0;
        double clip = 1.0;
        if (measure) {
            double norm = gradientNorm();
            lastGradNorm = norm;
            normMeasured = true;
            float max = spec.clipping().maxNorm();
            if (max > 0f && norm > max) clip = max / (norm + 1e-6);
        }
        lastLr = schedule.lr(spec.optimizer().lr(), steps);
        update(lastLr, clip);
        adapt();
        steps++;
        return l;
    }

    /** ‖g‖ over every gradient: exact integer sums of squares, scaled by each tensor's 2^(−2·frac), in a fixed order. */
    private double gradientNorm() {
        short[] a = arena.shorts();
        double total = 0;
        for (FixedParameter p : params) {
            long s = 0;
            for (int i = p.g; i < p.g + p.size; i++) s += a[i] * a[i];
            total += Math.scalb((double) s, -2 * p.gradFormat.frac());
        }
        return Math.sqrt(total);
    }

    private void update(float lr, double clip) {
        short[] a = arena.shorts();
        OptimizerSpec o = spec.optimizer();
        boolean stochastic = rounding == Rounding.STOCHASTIC;
        double wd = o.weightDecay();
        for (FixedParameter p : params) {
            int fp = p.format.frac(), fg = p.gradFormat.frac();
            if (o.kind() == OptimizerSpec.Kind.SGD) {
                double c = lr * clip * Math.scalb(1.0, fp - fg); // lr·g in p's last bits per unit of g's last bit
                double d = (double) lr * wd;
                kernels.sgdStep(a, p.p, p.g, p.size, Coefficient.mantissa(c), Coefficient.shift(c), Coefficient.mantissa(d),
                        Coefficient.shift(d), roundingRng.nextInt(), stochastic, p.format.stats());
            } else {
                int fv = p.velocityFormat.frac();
                double mu = o.momentum();
                double cg = clip * Math.scalb(1.0, fv - fg);
                double cp = wd * Math.scalb(1.0, fv - fp);
                double cl = lr * Math.scalb(1.0, fp - fv);
                kernels.momentumStep(a, p.p, p.g, p.v, p.size, Coefficient.mantissa(mu), Coefficient.shift(mu),
                        Coefficient.mantissa(cg), Coefficient.shift(cg), Coefficient.mantissa(cp), Coefficient.shift(cp),
                        Coefficient.mantissa(cl), Coefficient.shift(cl), roundingRng.nextInt(), roundingRng.nextInt(), stochastic,
                        p.velocityFormat.stats(), p.format.stats());
            }
        }
    }

    /** The scale rule for every tensor after a step; stored tensors move to their new grid. */
    private void adapt() {
        for (QFormat q : activationFormats) q.adapt();
        short[] a = arena.shorts();
        for (FixedParameter p : params) {
            FixedParameter.rescale(a, p.p, p.size, p.format.adapt());
            if (p.velocityFormat != null) FixedParameter.rescale(a, p.v, p.size, p.velocityFormat.adapt());
        }
    }

    /** Trains for the spec's epochs, evaluating {@code validation} (may be null) after each, like the fp32 trainer. */
    public void fit(Dataset train, Dataset validation, Consumer<EpochReport> progress) {
        int n = train.rows();
        if (n == 0) throw new IllegalArgumentException(train.source() + ": no rows to train on");
        if (train.features() != net.inputWidth()) {
            throw new IllegalArgumentException(train.source() + ": " + train.features() + " feature columns, the network has "
                    + net.inputWidth() + " inputs");
        }
        if (train.targetWidth() != targetWidth) {
            throw new IllegalArgumentException(train.source() + ": " + train.targetWidth() + " target columns, the loss needs " + targetWidth);
        }
        int batch = spec.batch();
        long stepsPerEpoch = (n + batch - 1) / batch;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        boolean classification = spec.loss().isClassification();
        int labelsPerRow = spec.loss() == LossKind.BCE ? targetWidth : 1;
        if (schedule.totalSteps() == 0) schedule = schedule.withTotalSteps(steps + stepsPerEpoch * spec.epochs());
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            if (spec.shuffle()) shuffleRng.shuffle(order, n);
            long t0 = System.nanoTime();
            double lossSum = 0, normSum = 0;
            long correct = 0;
            int norms = 0;
            for (int from = 0; from < n; from += batch) {
                int rows = Math.min(batch, n - from);
                lossSum += (double) step(train.x(), train.y(), order, from, rows) * rows;
                correct += lastCorrect;
                if (normMeasured) {
                    normSum += lastGradNorm;
                    norms++;
                    normMeasured = false;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluation val = validation == null ? null : evaluate(validation);
            progress.accept(new EpochReport(epoch, spec.epochs(), lossSum / n,
                    classification ? (double) correct / ((long) n * labelsPerRow) : Double.NaN, val, lastLr,
                    norms == 0 ? Double.NaN : normSum / norms, n / seconds, steps, ""));
        }
    }

    /** Metrics of the fixed-point network itself (int16 forward, no dropout) over standardized data. */
    public Evaluation evaluate(Dataset d) {
        Evaluation e = FixedEvaluation.run(this, d);
        for (QFormat q : activationFormats) q.clear(); // evaluation must not steer the scales of training
        return e;
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
            all.add(p.format);
            if (p.velocityFormat != null) all.add(p.velocityFormat);
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
                ByteBuffer bb = ByteBuffer.allocate(4 + 2 * p.size);
                bb.putInt(p.format.frac());
                for (int i = 0; i < p.size; i++) bb.putShort(a[p.p + i]);
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

    public NetworkSpec networkSpec() {
        return netSpec;
    }

    public TrainingSpec spec() {
        return spec;
    }

    public MemoryPlan memoryPlan() {
        return plan;
    }

    public Arena arena() {
        return arena;
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

    public int targetWidth() {
        return targetWidth;
    }

    public long steps() {
        return steps;
    }

    public float lastLearningRate() {
        return lastLr;
    }

    public double lastGradNorm() {
        return lastGradNorm;
    }
}
