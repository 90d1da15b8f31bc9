package org.edgetrain.config;

import org.edgetrain.nn.LayerParser;

import org.edgetrain.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgetrain.monitor.HealthSpec;
import org.edgetrain.kernels.KernelLoader;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.Init;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.optim.Clipping;
import org.edgetrain.optim.OptimizerSpec;
import org.edgetrain.optim.Schedule;
import org.edgetrain.train.TrainingSpec;

/**
 * The meaning of a config file: model, loss, optimizer, schedule, clipping, training and data settings, each
 * checked with an error that names the file, line and key, what was found and what is allowed. The README's
 * "Config reference" documents every key listed in {@link #KEYS}.
 */
public final class RunConfig {
    /** Every key each section allows. */
    public static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("model", Set.of("inputs", "channels", "layers", "hidden", "outputs", "activation", "dropout", "batchnorm", "init", "freeze"));
        KEYS.put("loss", Set.of("type", "delta"));
        KEYS.put("optimizer", Set.of("type", "lr", "momentum", "nesterov", "beta1", "beta2", "eps", "alpha", "weight_decay"));
        KEYS.put("schedule", Set.of("type", "warmup_steps", "step_size", "gamma", "min_lr", "total_steps"));
        KEYS.put("clip", Set.of("norm", "value"));
        KEYS.put("train", Set.of("batch", "epochs", "seed", "shuffle"));
        KEYS.put("data", Set.of("label", "features", "standardize", "standardize_targets"));
        KEYS.put("engine", Set.of("board", "kernels", "threads", "precision", "rounding"));
        KEYS.put("health", Set.of("every", "guard", "lr_factor", "max_rollbacks", "explode_factor", "snapshot_every"));
        KEYS.putAll(SourceConfig.KEYS); // [source], [preprocess], [label]: sensor ingest
        KEYS.putAll(ServiceKeys.DAEMON); // [daemon], [log], [fleet]: edgetrain run
    }

    private final ConfigFile file;
    private final ConfigValues values;
    private final Integer inputs;
    private final Integer channels;
    private final List<LayerSpec> layers;
    private final Set<String> freeze;
    private final TrainingSpec training;
    private final List<String> labels;
    private final List<String> features;
    private final boolean standardize;
    private final boolean standardizeTargets;
    private final String kernels;
    private final int threads;
    private final HealthSpec health;
    private final boolean fixedPoint;
    private final org.edgetrain.fixed.Rounding rounding;

    private RunConfig(ConfigFile file) {
        this.file = file;
        this.values = new ConfigValues(file);
        file.checkKnownKeys(KEYS);
        this.inputs = has("model.inputs") ? positiveInt("model.inputs") : null;
        this.channels = has("model.channels") ? positiveInt("model.channels") : null;
        this.layers = readLayers();
        this.freeze = new LinkedHashSet<>(list("model.freeze"));
        this.training = readTraining();
        this.labels = has("data.label") ? list("data.label") : List.of("label");
        if (labels.isEmpty()) throw error("data.label", "", "one or more column names");
        this.features = has("data.features") && !get("data.features").value().equals("*") ? list("data.features") : null;
        this.standardize = bool("data.standardize", true);
        // regression targets in the hundreds make the default clip.norm cut every step: train on (y − mean)/std instead
        boolean regression = !training.loss().isClassification();
        onlyFor("data.standardize_targets", regression, "a regression loss (loss.type = mse or huber)");
        this.standardizeTargets = regression && bool("data.standardize_targets", true);
        ConfigFile board = board();
        this.kernels = has("engine.kernels") || board == null ? word("engine.kernels", "auto") : board.get("engine.kernels").value();
        if (!List.of("auto", "native", "java").contains(kernels)) throw error("engine.kernels", kernels, KernelLoader.ALLOWED);
        int threadsWanted = has("engine.threads") || board == null ? intIn("engine.threads", 1, 1, 256)
                : Integer.parseInt(board.get("engine.threads").value());
        checkFreeze();
        // engine.precision = fixed: int16 training (org.edgetrain.fixed); engine.rounding picks its weight-update rounding
        String precision = word("engine.precision", "fp32");
        if (!List.of("fp32", "fixed").contains(precision)) throw error("engine.precision", precision, "fp32, fixed");
        this.fixedPoint = precision.equals("fixed");
        if (fixedPoint && has("engine.threads") && threadsWanted > 1) {
            throw error("engine.threads", Integer.toString(threadsWanted), "1 with engine.precision = fixed (the int16 kernels run on one thread)");
        }
        // a board profile's threads are for the fp32 kernels; int16 runs on one
        this.threads = fixedPoint ? 1 : threadsWanted;
        onlyFor("engine.rounding", fixedPoint, "precision = fixed");
        String r = word("engine.rounding", "stochastic");
        this.rounding = org.edgetrain.fixed.Rounding.parse(r);
        if (rounding == null) throw error("engine.rounding", r, "stochastic, nearest");
        String why = fixedPoint ? org.edgetrain.train.FixedSupport.unsupported(layers, !freeze.isEmpty(), training) : null;
        if (why != null) throw error("engine.precision", precision, "fixed only with " + org.edgetrain.train.FixedSupport.SUPPORTED + " (" + why + ")");
        HealthSpec h = HealthSpec.defaults();
        this.health = new HealthSpec(intIn("health.every", h.every(), 0, 1_000_000), bool("health.guard", h.guard()),
                floatIn("health.lr_factor", h.lrFactor(), 0.01f, 0.99f), intIn("health.max_rollbacks", h.maxRollbacks(), 1, 1000),
                floatIn("health.explode_factor", h.explodeFactor(), 1.5f, 1e9f),
                intIn("health.snapshot_every", h.snapshotEvery(), 1, 100_000_000));
    }

    /** The {@code [health]} section: statistics interval and the guard. */
    public HealthSpec health() {
        return health;
    }

    public static RunConfig load(Path file) {
        return new RunConfig(ConfigFile.read(file));
    }

    /** The meaning of an already parsed file (e.g. one with command-line overrides). */
    public static RunConfig of(ConfigFile file) {
        return new RunConfig(file);
    }

    public static RunConfig parse(String source, String text) {
        return new RunConfig(ConfigFile.parse(source, text));
    }

    public String source() {
        return file.source();
    }

    /** {@code model.inputs} if set; else the data decides. */
    public Integer inputs() {
        return inputs;
    }

    public TrainingSpec training() {
        return training;
    }

    public List<String> labels() {
        return labels;
    }

    /** Feature columns, or null for "every column except the labels". */
    public List<String> features() {
        return features;
    }

    public boolean standardize() {
        return standardize;
    }

    /** {@code data.standardize_targets}: regression targets standardized for training, undone in every output (default on). */
    public boolean standardizeTargets() {
        return standardizeTargets;
    }

    /** {@code engine.kernels}: auto, native or java. */
    public String kernels() {
        return kernels;
    }

    /** {@code engine.threads}: threads for large dense products (native kernels), the training thread included. */
    public int threads() {
        return threads;
    }

    /** {@code engine.precision = fixed}: train in int16 fixed point (README: Fixed point). */
    public boolean fixedPoint() {
        return fixedPoint;
    }

    /** {@code engine.rounding}: how fixed-point weight updates are rounded. */
    public org.edgetrain.fixed.Rounding rounding() {
        return rounding;
    }

    /** The network for {@code dataInputs} features, read with {@code model.channels} (default 1) per time step. */
    public NetworkSpec network(int dataInputs) {
        return network(dataInputs, 1);
    }

    /**
     * The network for {@code dataInputs} features; {@code defaultChannels} (a sensor window's channel count) applies
     * unless {@code model.channels} says otherwise. Fails if {@code model.inputs} disagrees with the data.
     */
    public NetworkSpec network(int dataInputs, int defaultChannels) {
        int ch = channels != null ? channels : defaultChannels;
        if (dataInputs % ch != 0) {
            String where = channels != null ? file.source() + ":" + get("model.channels").line() + ": key model.channels" : file.source();
            throw new BadInputException(where + ": the input row has " + dataInputs + " values, not a whole number of steps of " + ch
                    + " channels; set model.channels to a divisor of " + dataInputs);
        }
        if (inputs != null && inputs != dataInputs) {
            ConfigFile.Entry e = get("model.inputs");
            throw new BadInputException(file.source() + ":" + e.line() + ": key model.inputs: found " + inputs + ", but the data has "
                    + dataInputs + " feature columns");
        }
        try {
            return new NetworkSpec(dataInputs, ch, layers, freeze);
        } catch (IllegalArgumentException ex) {
            ConfigFile.Entry e = layersEntry();
            throw new BadInputException(file.source() + ":" + e.line() + ": key " + e.fullKey() + ": " + ex.getMessage());
        }
    }

    /** The parsed file, for the sections other parts read ({@code [source]}, {@code [daemon]}). */
    public ConfigFile file() {
        return file;
    }

    /** The board profile {@code engine.board} names, or null. */
    public ConfigFile boardProfile() {
        return board();
    }

    /** The board profile {@code engine.board} names, from the jar's /boards/ (see boards/README.md), or null. */
    private ConfigFile board() {
        if (!has("engine.board")) return null;
        String name = get("engine.board").value();
        ConfigFile profile = isBoardName(name) ? ConfigFile.resource("/boards/" + name + ".conf") : null;
        if (profile == null) throw error("engine.board", name, BOARDS);
        return profile;
    }

    /** {@code name.matches("[a-z0-9-]+")}, written out: no java.util.regex on the daemon's path (DaemonClassLoadTest). */
    static boolean isBoardName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }

    /** Profiles in boards/, packaged in the jar. */
    public static final String BOARDS = "pi-zero-2w, pi3, pi4, pi5, generic-aarch64, armhf, armv6, x86-64";

    // ---- model ----

    private List<LayerSpec> readLayers() {
        boolean full = has("model.layers");
        boolean shorthand = has("model.hidden") || has("model.outputs");
        if (full && shorthand) {
            ConfigFile.Entry e = has("model.hidden") ? get("model.hidden") : get("model.outputs");
            throw new BadInputException(file.source() + ":" + e.line() + ": key " + e.fullKey()
                    + ": give either model.layers or model.hidden + model.outputs, not both");
        }
        if (!full && !shorthand) {
            throw new BadInputException(file.source() + ": missing key model.layers (e.g. layers = dense(64) leaky_relu dense(10)),"
                    + " or model.hidden + model.outputs");
        }
        String defaultInit = word("model.init", "auto");
        Init init = Init.parse(defaultInit);
        if (init == null) throw error("model.init", defaultInit, Init.allowed());
        List<LayerSpec> parsed;
        if (full) {
            ConfigFile.Entry e = get("model.layers");
            parsed = LayerParser.parse(e.value(), file.source() + ":" + e.line() + ": key model.layers");
            for (String k : List.of("model.activation", "model.dropout", "model.batchnorm")) {
                if (has(k)) throw error(k, get(k).value(), "only with model.hidden (model.layers spells every layer out)");
            }
        } else {
            parsed = shorthandLayers();
        }
        return init == Init.AUTO ? parsed : withInit(parsed, init);
    }

    /** {@code hidden = 128, 64} + {@code outputs = 10}: dense layers with the default activation between them. */
    private List<LayerSpec> shorthandLayers() {
        if (!has("model.outputs")) throw new BadInputException(file.source() + ": missing key model.outputs (needed with model.hidden)");
        int outputs = positiveInt("model.outputs");
        List<Integer> hidden = new ArrayList<>();
        if (has("model.hidden")) {
            for (String h : list("model.hidden")) {
                try {
                    int v = Integer.parseInt(h);
                    if (v < 1) throw new NumberFormatException();
                    hidden.add(v);
                } catch (NumberFormatException ex) {
                    throw error("model.hidden", h, "whole numbers >= 1 separated by commas, e.g. 128, 64");
                }
            }
        }
        String act = word("model.activation", "leaky_relu");
        LayerSpec activation = switch (act) {
            case "leaky_relu" -> new LayerSpec.LeakyRelu(LayerSpec.LeakyRelu.DEFAULT_SLOPE);
            case "relu" -> new LayerSpec.Relu();
            case "prelu" -> new LayerSpec.PRelu(false, 0.25f);
            case "tanh" -> new LayerSpec.Tanh();
            case "sigmoid" -> new LayerSpec.Sigmoid();
            default -> throw error("model.activation", act, "leaky_relu, relu, prelu, tanh, sigmoid");
        };
        float dropout = floatIn("model.dropout", 0f, 0f, 0.999f);
        boolean batchnorm = bool("model.batchnorm", false);
        List<LayerSpec> out = new ArrayList<>();
        for (int h : hidden) {
            out.add(new LayerSpec.Dense(h, Init.AUTO, true));
            if (batchnorm) out.add(new LayerSpec.BatchNorm(LayerSpec.BatchNorm.DEFAULT_EPS, LayerSpec.BatchNorm.DEFAULT_MOMENTUM));
            out.add(activation);
            if (dropout > 0f) out.add(new LayerSpec.Dropout(dropout));
        }
        out.add(new LayerSpec.Dense(outputs, Init.AUTO, true));
        return out;
    }

    private static List<LayerSpec> withInit(List<LayerSpec> layers, Init init) {
        return layers.stream().map(l -> l.withInit(init)).toList();
    }

    private void checkFreeze() {
        if (freeze.isEmpty()) return;
        ConfigFile.Entry e = get("model.freeze");
        for (String name : freeze) {
            LayerSpec l = find(layers, name);
            if (l == null) {
                throw new BadInputException(file.source() + ":" + e.line() + ": key model.freeze: no layer '" + name + "'; layers are numbered 0.."
                        + (layers.size() - 1) + " like a PyTorch nn.Sequential (activations count), inner ones as 3.0");
            }
            if (!l.hasParameters()) {
                throw new BadInputException(file.source() + ":" + e.line() + ": key model.freeze: layer " + name + " (" + l
                        + ") has no parameters to freeze; freeze dense, batchnorm, prelu or residual layers");
            }
        }
    }

    private static LayerSpec find(List<LayerSpec> layers, String name) {
        String[] parts = name.split("\\.", 2);
        int i;
        try {
            i = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (i < 0 || i >= layers.size()) return null;
        LayerSpec l = layers.get(i);
        if (parts.length == 1) return l;
        return l instanceof LayerSpec.Residual r ? find(r.block(), parts[1]) : null;
    }

    private ConfigFile.Entry layersEntry() {
        return has("model.layers") ? get("model.layers") : has("model.hidden") ? get("model.hidden") : get("model.outputs");
    }

    // ---- training ----

    private TrainingSpec readTraining() {
        String lossName = word("loss.type", "cross_entropy");
        LossKind loss = LossKind.parse(lossName);
        if (loss == null) throw error("loss.type", lossName, LossKind.allowed());
        onlyFor("loss.delta", loss == LossKind.HUBER, "type = huber");
        float delta = floatIn("loss.delta", 1f, 1e-12f, Float.MAX_VALUE);

        String optName = word("optimizer.type", "momentum");
        OptimizerSpec.Kind kind = OptimizerSpec.Kind.parse(optName);
        if (kind == null) throw error("optimizer.type", optName, OptimizerSpec.Kind.allowed());
        boolean sgdFamily = kind == OptimizerSpec.Kind.MOMENTUM || kind == OptimizerSpec.Kind.NESTEROV;
        boolean adamFamily = kind == OptimizerSpec.Kind.ADAM || kind == OptimizerSpec.Kind.ADAMW;
        onlyFor("optimizer.momentum", sgdFamily, "type = momentum or nesterov");
        onlyFor("optimizer.nesterov", kind == OptimizerSpec.Kind.MOMENTUM, "type = momentum");
        onlyFor("optimizer.beta1", adamFamily, "type = adam or adamw");
        onlyFor("optimizer.beta2", adamFamily, "type = adam or adamw");
        onlyFor("optimizer.eps", adamFamily || kind == OptimizerSpec.Kind.RMSPROP, "type = adam, adamw or rmsprop");
        onlyFor("optimizer.alpha", kind == OptimizerSpec.Kind.RMSPROP, "type = rmsprop");
        float lr = floatIn("optimizer.lr", kind.defaultLr(), 1e-12f, 1e3f);
        float momentum = floatIn("optimizer.momentum", 0.9f, 0f, 0.999999f);
        boolean nesterov = bool("optimizer.nesterov", false);
        float beta1 = floatIn("optimizer.beta1", 0.9f, 0f, 0.999999f);
        float beta2 = floatIn("optimizer.beta2", 0.999f, 0f, 0.999999f);
        float eps = floatIn("optimizer.eps", 1e-8f, 1e-30f, 1f);
        float alpha = floatIn("optimizer.alpha", 0.99f, 0f, 0.999999f);
        float wd = floatIn("optimizer.weight_decay", kind == OptimizerSpec.Kind.ADAMW ? 0.01f : 0f, 0f, 1f);
        OptimizerSpec opt = new OptimizerSpec(kind, lr, momentum, nesterov, beta1, beta2, eps, alpha, wd);

        String schedName = word("schedule.type", "constant");
        Schedule.Kind sk = Schedule.Kind.parse(schedName);
        if (sk == null) throw error("schedule.type", schedName, "constant, step, exponential, cosine");
        onlyFor("schedule.step_size", sk == Schedule.Kind.STEP, "type = step");
        onlyFor("schedule.gamma", sk == Schedule.Kind.STEP || sk == Schedule.Kind.EXPONENTIAL, "type = step or exponential");
        onlyFor("schedule.min_lr", sk == Schedule.Kind.COSINE, "type = cosine");
        onlyFor("schedule.total_steps", sk == Schedule.Kind.COSINE, "type = cosine");
        if (sk == Schedule.Kind.STEP && !has("schedule.step_size")) {
            throw error("schedule.type", schedName, "step together with schedule.step_size (steps between decays)");
        }
        int warmup = intIn("schedule.warmup_steps", 0, 0, Integer.MAX_VALUE);
        int stepSize = intIn("schedule.step_size", 1, 1, Integer.MAX_VALUE);
        float gamma = floatIn("schedule.gamma", sk == Schedule.Kind.STEP ? 0.1f : 0.99f, 1e-12f, 1f);
        float minLr = floatIn("schedule.min_lr", 0f, 0f, lr);
        long total = intIn("schedule.total_steps", 0, 0, Integer.MAX_VALUE);
        Schedule schedule = new Schedule(sk, warmup, stepSize, gamma, minLr, total);

        float clipNorm = floatIn("clip.norm", TrainingSpec.DEFAULT_CLIP_NORM, 0f, Float.MAX_VALUE);
        float clipValue = floatIn("clip.value", 0f, 0f, Float.MAX_VALUE);

        int batch = intIn("train.batch", 32, 1, 1 << 20);
        int epochs = intIn("train.epochs", 20, 0, 1_000_000);
        long seed = longValue("train.seed", 1L);
        boolean shuffle = bool("train.shuffle", true);
        return new TrainingSpec(loss, delta, opt, schedule, new Clipping(clipNorm, clipValue), batch, epochs, seed, shuffle);
    }

    // ---- typed access ----

    // ---- typed access: ConfigValues has the logic and the error wording ----

    private boolean has(String key) {
        return values.has(key);
    }

    private ConfigFile.Entry get(String key) {
        return values.get(key);
    }

    private BadInputException error(String key, String found, String allowed) {
        return values.error(key, found, allowed);
    }

    private void onlyFor(String key, boolean applies, String when) {
        values.onlyFor(key, applies, when);
    }

    private String word(String key, String dflt) {
        return values.word(key, dflt);
    }

    private List<String> list(String key) {
        return values.list(key);
    }

    private boolean bool(String key, boolean dflt) {
        return values.bool(key, dflt);
    }

    private int positiveInt(String key) {
        return values.intIn(key, 1, 1, Integer.MAX_VALUE);
    }

    private int intIn(String key, int dflt, int min, int max) {
        return values.intIn(key, dflt, min, max);
    }

    private long longValue(String key, long dflt) {
        return values.longValue(key, dflt);
    }

    private float floatIn(String key, float dflt, float min, float max) {
        return values.floatIn(key, dflt, min, max);
    }

    @Override
    public String toString() {
        return "RunConfig" + Arrays.asList(file.source(), layers, training);
    }
}
