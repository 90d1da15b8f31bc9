package org.edgetrain.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Labeling;
import org.edgetrain.ingest.SourceRunner;
import org.edgetrain.ingest.preprocess.MissingValues;

/**
 * The {@code [source]}, {@code [preprocess]} and {@code [label]} sections of a config file: where samples come from
 * and how they become training rows. Each value is checked with an error naming the file, line and key, what was
 * found and what is allowed; keys that do not apply to the chosen {@code source.type} are errors too. {@link #KEYS}
 * registers the sections with {@link RunConfig}, so the unknown-key check covers them. The README's "Sensor ingest"
 * section documents every key.
 *
 * <p>Nothing here touches hardware or Pi4J: the values are only read. {@code org.edgetrain.connect.Sources} opens
 * the source they describe.
 */
public final class SourceConfig {
    /** Every key each section allows. */
    public static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("source", Set.of("type", "rate_hz", "ring", "retries", "backoff_ms", "reprobe_s", "channels", "seed", "anomaly_rate",
                "noise", "path", "follow", "columns", "bus", "address", "accel_range", "gyro_range", "gain", "data_rate", "mode",
                "differential", "vref", "chip_select", "baud", "label_pin", "label_active", "trigger_pin", "trigger_active", "topics", "format",
                "timestamp", "max_payload", "device", "parity", "data_bits", "stop_bits", "header"));
        KEYS.put("preprocess", Set.of("missing", "outlier_k", "standardize", "warmup", "window", "stride"));
        KEYS.put("label", Set.of("mode", "column"));
        KEYS.put("mqtt", MqttConfig.KEYS); // the broker of source.type = mqtt and daemon.output = mqtt
    }

    /** What {@code source.type} names. */
    public enum Type {
        SIM, CSV, STDIN, MPU6050, BME280, ADS1115, MCP3008, MQTT, SERIAL;

        /** The config word, e.g. {@code mpu6050}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** True for the Pi4J drivers. */
        public boolean hardware() {
            return this == MPU6050 || this == BME280 || this == ADS1115 || this == MCP3008;
        }

        boolean i2c() {
            return this == MPU6050 || this == BME280 || this == ADS1115;
        }
    }

    static final String TYPES = "sim, csv, stdin, mpu6050, bme280, ads1115, mcp3008, mqtt, serial";

    /** How an MQTT payload carries a reading. */
    public enum PayloadFormat { JSON, CSV }

    /** Baud rates a Linux serial port takes ({@code stty}). */
    static final int[] SERIAL_BAUDS = {1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 500_000, 576_000, 921_600,
        1_000_000, 1_500_000, 2_000_000};

    private final ConfigFile file;
    private final ConfigValues values;
    private final Type type;
    private final double rateHz;
    private final int ring;
    private final SourceRunner.Policy policy;
    // sim
    private final int simChannels;
    private final long seed;
    private final double anomalyRate;
    private final double noise;
    // csv, stdin
    private final Path path;
    private final boolean follow;
    private final List<String> columns;
    // sensors
    private final int bus;
    private final int address;
    private final int accelRange;
    private final int gyroRange;
    private final double gain;
    private final int dataRate;
    private final boolean continuous;
    private final int[] inputs;
    private final boolean differential;
    private final double vref;
    private final int chipSelect;
    private final int baud;
    private final int labelPin;
    private final boolean labelActiveHigh;
    private final int triggerPin;
    private final boolean triggerActiveHigh;
    // mqtt, serial
    private final List<String> topics;
    private final PayloadFormat format;
    private final String timestampField;
    private final int maxPayload;
    private final Path device;
    private final char parity;
    private final int dataBits;
    private final int stopBits;
    private final boolean header;
    // preprocess, label
    private final IngestPipeline.Settings settings;
    private final Labeling.Mode labelMode;
    private final String labelColumn;

    private SourceConfig(ConfigFile file) {
        this.file = file;
        this.values = new ConfigValues(file);
        String t = word("source.type", "sim");
        Type parsed = null;
        for (Type x : Type.values()) if (x.word().equals(t)) parsed = x;
        if (parsed == null) throw error("source.type", t, TYPES);
        this.type = parsed;
        checkApplies();
        boolean text = type == Type.CSV || type == Type.STDIN || type == Type.MQTT || type == Type.SERIAL;
        this.rateHz = number("source.rate_hz", text ? 0 : 100, 0, 100_000);
        this.ring = intIn("source.ring", 1024, 2, 1 << 24);
        if (Integer.bitCount(ring) != 1) throw error("source.ring", get("source.ring").value(), "a power of two, e.g. 1024");
        int retries = intIn("source.retries", 5, 0, 1000);
        double backoffMs = number("source.backoff_ms", 10, 0.001, 60_000);
        double reprobeS = number("source.reprobe_s", 5, 0.001, 86_400);
        long backoff = (long) (backoffMs * 1e6);
        this.policy = new SourceRunner.Policy(retries, backoff, Math.max(backoff, 1_000_000_000L), (long) (reprobeS * 1e9));

        this.simChannels = type == Type.SIM ? intIn("source.channels", 3, 1, 64) : 0;
        this.seed = longValue("source.seed", 1);
        this.anomalyRate = number("source.anomaly_rate", 0.01, 0, 1);
        this.noise = number("source.noise", 0.05, 0, 1000);

        if (type == Type.CSV && !has("source.path")) throw missing("source.path", "the CSV file to read, e.g. path = /var/log/sensor.csv");
        this.path = has("source.path") ? values.path("source.path", null) : null;
        this.follow = bool("source.follow", false);
        this.columns = list("source.columns");
        if (text && columns.isEmpty()) throw missing("source.columns", "the CSV columns to read, e.g. columns = ax, ay, az");

        this.bus = intIn("source.bus", type == Type.MCP3008 ? 0 : 1, 0, 31);
        this.address = readAddress();
        this.accelRange = oneOf("source.accel_range", 2, 2, 4, 8, 16);
        this.gyroRange = oneOf("source.gyro_range", 250, 250, 500, 1000, 2000);
        this.gain = readGain();
        this.dataRate = oneOf("source.data_rate", 128, 8, 16, 32, 64, 128, 250, 475, 860);
        String mode = word("source.mode", "single");
        if (!mode.equals("single") && !mode.equals("continuous")) throw error("source.mode", mode, "single, continuous");
        this.continuous = mode.equals("continuous");
        this.differential = bool("source.differential", false);
        this.inputs = readInputs();
        this.vref = number("source.vref", 3.3, 0.1, 6);
        this.chipSelect = intIn("source.chip_select", 0, 0, 2);
        this.baud = type == Type.SERIAL ? oneOf("source.baud", 115_200, SERIAL_BAUDS) : intIn("source.baud", 1_000_000, 10_000, 3_600_000);
        this.labelPin = intIn("source.label_pin", -1, 0, 53);
        this.labelActiveHigh = active("source.label_active");
        this.triggerPin = intIn("source.trigger_pin", -1, 0, 53);
        this.triggerActiveHigh = active("source.trigger_active");

        this.topics = list("source.topics");
        if (type == Type.MQTT && topics.isEmpty()) throw missing("source.topics", "the topics to subscribe to, e.g. topics = sensors/+/pump1");
        for (String topic : topics) {
            if (topic.contains("#") && !(topic.equals("#") || topic.endsWith("/#")) || topic.matches(".*[^/]\\+.*|.*\\+[^/].*")) {
                throw error("source.topics", get("source.topics").value(), "MQTT topic filters; '+' and '#' only as whole levels, '#' last");
            }
        }
        String f = word("source.format", "json");
        if (!f.equals("json") && !f.equals("csv")) throw error("source.format", f, "json, csv");
        this.format = f.equals("json") ? PayloadFormat.JSON : PayloadFormat.CSV;
        this.timestampField = has("source.timestamp") ? get("source.timestamp").value().strip() : null;
        if (timestampField != null && format != PayloadFormat.JSON) throw error("source.timestamp", timestampField, "only with format = json");
        this.maxPayload = intIn("source.max_payload", 4096, 16, 1 << 20);
        if (type == Type.SERIAL && !has("source.device")) throw missing("source.device", "the serial port, e.g. device = /dev/ttyUSB0");
        this.device = has("source.device") ? Path.of(get("source.device").value().strip()) : null;
        String p = word("source.parity", "none");
        if (!p.equals("none") && !p.equals("even") && !p.equals("odd")) throw error("source.parity", p, "none, even, odd");
        this.parity = p.charAt(0);
        this.dataBits = oneOf("source.data_bits", 8, 5, 6, 7, 8);
        this.stopBits = oneOf("source.stop_bits", 1, 1, 2);
        this.header = bool("source.header", false);

        this.labelMode = readLabelMode();
        this.labelColumn = has("label.column") ? get("label.column").value() : null;
        this.settings = preprocess();
    }

    /** Reads the ingest sections of a config file that has only them (and checks for unknown keys). */
    public static SourceConfig load(Path file) {
        return of(ConfigFile.read(file), true);
    }

    /** Parses config text; {@code source} names it in errors. */
    public static SourceConfig parse(String source, String text) {
        return of(ConfigFile.parse(source, text), true);
    }

    /**
     * The ingest sections of an already parsed file.
     *
     * @param checkKeys check for unknown sections and keys against {@link #KEYS} alone (false when {@link RunConfig}
     *     already checked the whole file)
     */
    public static SourceConfig of(ConfigFile file, boolean checkKeys) {
        if (checkKeys) file.checkKnownKeys(KEYS);
        return new SourceConfig(file);
    }

    public String source() {
        return file.source();
    }

    public Type type() {
        return type;
    }

    /** {@code source.rate_hz}: samples per second; 0 for as fast as the source gives them (files by default). */
    public double rateHz() {
        return rateHz;
    }

    public int simChannels() {
        return simChannels;
    }

    public long seed() {
        return seed;
    }

    public double anomalyRate() {
        return anomalyRate;
    }

    public double noise() {
        return noise;
    }

    public Path path() {
        return path;
    }

    public boolean follow() {
        return follow;
    }

    /** {@code source.columns}, with {@code label.column} appended when it is not among them. */
    public List<String> columns() {
        List<String> out = new ArrayList<>(columns);
        if (labelColumn != null && !out.contains(labelColumn)) out.add(labelColumn);
        return out;
    }

    public int bus() {
        return bus;
    }

    public int address() {
        return address;
    }

    public int accelRange() {
        return accelRange;
    }

    public int gyroRange() {
        return gyroRange;
    }

    /** ADS1115 full scale in volts. */
    public double gain() {
        return gain;
    }

    public int dataRate() {
        return dataRate;
    }

    public boolean continuous() {
        return continuous;
    }

    /** ADC inputs (single-ended channels or differential pairs). */
    public int[] inputs() {
        return inputs.clone();
    }

    public boolean differential() {
        return differential;
    }

    public double vref() {
        return vref;
    }

    public int chipSelect() {
        return chipSelect;
    }

    public int baud() {
        return baud;
    }

    /** BCM number of the label button, or -1. */
    public int labelPin() {
        return labelPin;
    }

    public boolean labelActiveHigh() {
        return labelActiveHigh;
    }

    /** BCM number of the trigger input, or -1. */
    public int triggerPin() {
        return triggerPin;
    }

    public boolean triggerActiveHigh() {
        return triggerActiveHigh;
    }

    /** {@code source.topics}: MQTT topic filters (wildcards allowed). */
    public List<String> topics() {
        return topics;
    }

    /** {@code source.format}: how an MQTT payload carries a reading. */
    public PayloadFormat format() {
        return format;
    }

    /** {@code source.timestamp}: the JSON field (dotted path) holding the reading's time, or null for the arrival time. */
    public String timestampField() {
        return timestampField;
    }

    /** {@code source.max_payload}: longest payload accepted, in bytes; a longer one is malformed. */
    public int maxPayload() {
        return maxPayload;
    }

    /** {@code source.device}: the serial port. */
    public Path device() {
        return device;
    }

    /** {@code source.parity}: n, e or o. */
    public char parity() {
        return parity;
    }

    public int dataBits() {
        return dataBits;
    }

    public int stopBits() {
        return stopBits;
    }

    /** {@code source.header}: the serial line starts with a header naming the columns (else cells are in column order). */
    public boolean header() {
        return header;
    }

    /** {@code label.mode}. */
    public Labeling.Mode labelMode() {
        return labelMode;
    }

    /** {@code label.column}, or null. */
    public String labelColumn() {
        return labelColumn;
    }

    /**
     * The pipeline settings for a source whose channels are {@code channelNames} (the label's channel is found among
     * them for {@code column} and {@code gpio}).
     */
    public IngestPipeline.Settings settings(String[] channelNames) {
        Labeling l = switch (labelMode) {
            case FORECAST -> Labeling.forecast();
            case RECONSTRUCT -> Labeling.reconstruct();
            case GPIO -> Labeling.gpio(channelNames.length - 1);
            case COLUMN -> Labeling.column(List.of(channelNames).indexOf(labelColumn));
        };
        IngestPipeline.Settings s = settings;
        return new IngestPipeline.Settings(s.missing(), s.outlierK(), s.standardize(), s.warmup(), s.window(), s.stride(), l, ring, rateHz,
                policy);
    }

    // ---- cross-key checks ----

    /** Type-specific keys set for another type are errors, naming the types they apply to. */
    private void checkApplies() {
        Map<String, List<Type>> only = new LinkedHashMap<>();
        only.put("source.channels", List.of(Type.SIM, Type.ADS1115, Type.MCP3008));
        only.put("source.seed", List.of(Type.SIM));
        only.put("source.anomaly_rate", List.of(Type.SIM));
        only.put("source.noise", List.of(Type.SIM));
        only.put("source.path", List.of(Type.CSV));
        only.put("source.follow", List.of(Type.CSV));
        only.put("source.columns", List.of(Type.CSV, Type.STDIN, Type.MQTT, Type.SERIAL));
        only.put("source.topics", List.of(Type.MQTT));
        only.put("source.format", List.of(Type.MQTT));
        only.put("source.timestamp", List.of(Type.MQTT));
        only.put("source.max_payload", List.of(Type.MQTT));
        only.put("source.device", List.of(Type.SERIAL));
        only.put("source.parity", List.of(Type.SERIAL));
        only.put("source.data_bits", List.of(Type.SERIAL));
        only.put("source.stop_bits", List.of(Type.SERIAL));
        only.put("source.header", List.of(Type.SERIAL));
        only.put("source.bus", List.of(Type.MPU6050, Type.BME280, Type.ADS1115, Type.MCP3008));
        only.put("source.address", List.of(Type.MPU6050, Type.BME280, Type.ADS1115));
        only.put("source.accel_range", List.of(Type.MPU6050));
        only.put("source.gyro_range", List.of(Type.MPU6050));
        only.put("source.gain", List.of(Type.ADS1115));
        only.put("source.data_rate", List.of(Type.ADS1115));
        only.put("source.mode", List.of(Type.ADS1115));
        only.put("source.differential", List.of(Type.ADS1115, Type.MCP3008));
        only.put("source.vref", List.of(Type.MCP3008));
        only.put("source.chip_select", List.of(Type.MCP3008));
        only.put("source.baud", List.of(Type.MCP3008, Type.SERIAL));
        only.put("source.retries", List.of(Type.MPU6050, Type.BME280, Type.ADS1115, Type.MCP3008, Type.MQTT, Type.SERIAL));
        only.put("source.reprobe_s", List.of(Type.MPU6050, Type.BME280, Type.ADS1115, Type.MCP3008, Type.MQTT, Type.SERIAL));
        only.put("source.backoff_ms", List.of(Type.MPU6050, Type.BME280, Type.ADS1115, Type.MCP3008, Type.MQTT, Type.SERIAL));
        for (Map.Entry<String, List<Type>> e : only.entrySet()) {
            if (has(e.getKey()) && !e.getValue().contains(type)) {
                List<String> words = new ArrayList<>();
                for (Type x : e.getValue()) words.add(x.word());
                throw new BadInputException(file.source() + ":" + get(e.getKey()).line() + ": key " + e.getKey() + " applies only with type = "
                        + String.join(", ", words) + " (source.type is " + type.word() + ")");
            }
        }
    }

    private int readAddress() {
        int[] allowed = switch (type) {
            case MPU6050 -> new int[] {0x68, 0x69};
            case BME280 -> new int[] {0x76, 0x77};
            case ADS1115 -> new int[] {0x48, 0x49, 0x4A, 0x4B};
            default -> new int[] {0};
        };
        if (!has("source.address")) return allowed[0];
        String v = get("source.address").value().toLowerCase(Locale.ROOT);
        StringBuilder words = new StringBuilder();
        for (int a : allowed) words.append(words.length() == 0 ? "" : ", ").append(String.format("0x%02x", a));
        try {
            int a = v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
            for (int x : allowed) if (x == a) return a;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("source.address", get("source.address").value(), words + " (" + type.word() + ")");
    }

    private double readGain() {
        if (!has("source.gain")) return 2.048;
        String v = get("source.gain").value();
        for (String ok : new String[] {"6.144", "4.096", "2.048", "1.024", "0.512", "0.256"}) {
            if (ok.equals(v)) return Double.parseDouble(ok);
        }
        throw error("source.gain", v, "the full-scale range in volts: 6.144, 4.096, 2.048, 1.024, 0.512, 0.256");
    }

    private int[] readInputs() {
        if (type != Type.ADS1115 && type != Type.MCP3008) return new int[0];
        int max = type == Type.ADS1115 ? 3 : 7;
        if (!has("source.channels")) return new int[] {0};
        List<String> l = list("source.channels");
        int[] out = new int[l.size()];
        String allowed = (differential ? "pair" : "input") + " numbers 0.." + max + " separated by commas, e.g. 0, 1"
                + (type == Type.ADS1115 && continuous ? " (continuous mode: exactly one)" : "");
        if (l.isEmpty() || l.size() > max + 1 || (type == Type.ADS1115 && continuous && l.size() != 1)) {
            throw error("source.channels", get("source.channels").value(), allowed);
        }
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Integer.parseInt(l.get(i));
                if (out[i] < 0 || out[i] > max) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw error("source.channels", get("source.channels").value(), allowed);
            }
        }
        return out;
    }

    private boolean active(String key) {
        String v = word(key, "high");
        if (!v.equals("high") && !v.equals("low")) throw error(key, v, "high, low (low: a button to ground with the pull-up)");
        return v.equals("high");
    }

    private Labeling.Mode readLabelMode() {
        boolean labelPinSet = has("source.label_pin");
        String dflt = labelPinSet ? "gpio" : has("label.column") ? "column" : "reconstruct";
        String m = word("label.mode", dflt);
        Labeling.Mode mode = Labeling.Mode.parse(m);
        if (mode == null) throw error("label.mode", m, "column, gpio, forecast, reconstruct");
        if (mode == Labeling.Mode.COLUMN) {
            if (type != Type.CSV && type != Type.STDIN && type != Type.MQTT && type != Type.SERIAL) {
                throw error("label.mode", m, "column only with source.type = csv, stdin, mqtt or serial; for a sensor use gpio, forecast or reconstruct");
            }
            if (!has("label.column")) throw missing("label.column", "the CSV column holding the label, e.g. column = label");
        } else if (has("label.column")) {
            throw new BadInputException(file.source() + ":" + get("label.column").line() + ": key label.column applies only with mode = column");
        }
        if (mode == Labeling.Mode.GPIO && !labelPinSet) throw missing("source.label_pin", "the BCM number of the label button's GPIO");
        if (mode != Labeling.Mode.GPIO && labelPinSet) {
            throw new BadInputException(file.source() + ":" + get("source.label_pin").line() + ": key source.label_pin applies only with label.mode = gpio");
        }
        if ((labelPinSet || has("source.trigger_pin")) && !type.hardware()) {
            String k = labelPinSet ? "source.label_pin" : "source.trigger_pin";
            throw new BadInputException(file.source() + ":" + get(k).line() + ": key " + k + " applies only to a hardware source (mpu6050, bme280, ads1115, mcp3008)");
        }
        return mode;
    }

    private IngestPipeline.Settings preprocess() {
        String m = word("preprocess.missing", "hold");
        MissingValues.Policy missing = MissingValues.Policy.parse(m);
        if (missing == null) throw error("preprocess.missing", m, "drop, hold, mean");
        float k = (float) number("preprocess.outlier_k", 0, 0, 1000);
        String st = word("preprocess.standardize", "running");
        IngestPipeline.Standardize standardize = switch (st) {
            case "off" -> IngestPipeline.Standardize.OFF;
            case "running" -> IngestPipeline.Standardize.RUNNING;
            case "frozen" -> IngestPipeline.Standardize.FROZEN;
            default -> throw error("preprocess.standardize", st, "off, running, frozen");
        };
        int warmup = intIn("preprocess.warmup", 100, 0, 100_000_000);
        int window = intIn("preprocess.window", 32, 1, 65_536);
        int stride = intIn("preprocess.stride", window, 1, 65_536);
        return new IngestPipeline.Settings(missing, k, standardize, warmup, window, stride, Labeling.reconstruct(), 2, 0,
                SourceRunner.Policy.defaults());
    }

    // ---- typed access (the same messages as RunConfig) ----

    private boolean has(String key) {
        return values.has(key);
    }

    private ConfigFile.Entry get(String key) {
        return values.get(key);
    }

    private BadInputException error(String key, String found, String allowed) {
        return values.error(key, found, allowed);
    }

    private BadInputException missing(String key, String what) {
        return new BadInputException(file.source() + ": missing key " + key + " (" + what + ") for source.type = " + type.word());
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

    private int intIn(String key, int dflt, int min, int max) {
        return values.intIn(key, dflt, min, max);
    }

    private int oneOf(String key, int dflt, int... allowed) {
        return values.oneOf(key, dflt, allowed);
    }

    private long longValue(String key, long dflt) {
        return values.longValue(key, dflt);
    }

    private double number(String key, double dflt, double min, double max) {
        return values.doubleIn(key, dflt, min, max);
    }
}
