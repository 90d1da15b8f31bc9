package org.edgetrain.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.nn.LayerParser;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.daemon.Daemon;
import org.edgetrain.daemon.DaemonConfig;
import org.edgetrain.data.CsvTable;
import org.edgetrain.data.DataLoader;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.connect.Sources;
import org.edgetrain.ingest.files.CsvSource;
import org.edgetrain.io.FormatException;
import org.edgetrain.io.Model;
import org.edgetrain.io.ModelFile;
import org.edgetrain.io.Safetensors;
import org.edgetrain.nn.StateDict;
import org.edgetrain.kernels.JavaKernels;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Standardizer;
import org.edgetrain.train.Trainer;

/**
 * The parsers under fuzzing, each through the path a user's input takes (parse, then build or load what it describes),
 * with seeds made from real files. An input is accepted, or rejected with the documented bad-input error
 * ({@link BadInputException}, {@link FormatException}); anything else thrown is a finding.
 */
final class FuzzTargets {
    /** Whether the input was taken or refused with the documented error. */
    enum Outcome { ACCEPTED, REJECTED }

    interface Target {
        String name();

        List<byte[]> seeds();

        /** Runs one input; throws only what is not the documented error. */
        Outcome run(byte[] input) throws Exception;
    }

    /** DaemonTest's config at a smaller size: a small checkpoint to mutate. */
    static final String DAEMON_CONFIG = org.edgetrain.daemon.SimDaemonConfig.text(50, 8, 4, 100, 64, "", "");

    private final Path work;

    FuzzTargets(Path work) {
        this.work = work;
    }

    List<Target> all() throws IOException {
        List<Target> t = new ArrayList<>();
        t.add(config());
        t.add(layers());
        t.add(csvTable());
        t.add(csvSource());
        byte[] model = modelSeed();
        t.add(model("model", model, false));
        t.add(model("model-crc", model, true));
        t.add(safetensors(model));
        byte[] ckpt = checkpointSeed();
        t.add(checkpoint("checkpoint", ckpt, false));
        t.add(checkpoint("checkpoint-crc", ckpt, true));
        return t;
    }

    private static Outcome rejected(Throwable e) throws Exception {
        if (e instanceof BadInputException || e instanceof FormatException) return Outcome.REJECTED;
        if (e instanceof Exception x) throw x;
        if (e instanceof Error err) throw err;
        throw new RuntimeException(e);
    }

    private static Target target(String name, List<byte[]> seeds, Body body) {
        return new Target() {
            public String name() {
                return name;
            }

            public List<byte[]> seeds() {
                return seeds;
            }

            public Outcome run(byte[] input) throws Exception {
                try {
                    body.run(input);
                    return Outcome.ACCEPTED;
                } catch (BadInputException | FormatException e) {
                    return rejected(e);
                }
            }
        };
    }

    private interface Body {
        void run(byte[] input) throws Exception;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> files(String... paths) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String p : paths) out.add(Files.readAllBytes(Path.of(p)));
        return out;
    }

    /** The config file: parsed, then everything a run builds from it, planned (not allocated). */
    private Target config() throws IOException {
        List<byte[]> seeds = files("examples/digits.conf", "examples/daemon-sim.conf", "examples/sensor-sim.conf", "examples/sensor-mpu6050.conf");
        seeds.add(utf8(DAEMON_CONFIG));
        return target("config", seeds, in -> {
            ConfigFile f = ConfigFile.parse("fuzz.conf", new String(in, StandardCharsets.UTF_8));
            RunConfig cfg = RunConfig.of(f);
            NetworkSpec net = cfg.network(8);
            Trainer.plan(net, cfg.training(), cfg.health());
            SourceConfig.of(f, false);
            new DaemonConfig(f, cfg.boardProfile());
        });
    }

    /** The layers language alone, planned for 8 inputs. */
    private Target layers() {
        List<byte[]> seeds = new ArrayList<>();
        for (String s : new String[] {"dense(128) leaky_relu dropout(0.1) dense(64) leaky_relu dense(10)",
                "dense(16) batchnorm leaky_relu dropout(0.1) dense(48)", "residual(dense(8) tanh dense(8)) relu dense(2, init=xavier_uniform)",
                "dense(4, bias=false) prelu sigmoid batchnorm(eps=1e-5, momentum=0.1) softmax dense(3, gain=2)"}) {
            seeds.add(utf8(s));
        }
        var spec = RunConfig.parse("fuzz.conf", "[model]\nlayers = dense(2)\n").training();
        return target("layers", seeds, in -> {
            var layers = LayerParser.parse(new String(in, StandardCharsets.UTF_8), "fuzz: model.layers");
            NetworkSpec net;
            try {
                net = new NetworkSpec(8, layers, Set.of());
            } catch (IllegalArgumentException e) { // as RunConfig.network and ModelFile report it: the key's error
                throw new BadInputException("fuzz: model.layers: " + e.getMessage());
            }
            Trainer.plan(net, spec, org.edgetrain.monitor.HealthSpec.OFF);
        });
    }

    private static byte[] csvHead(String file, int lines) throws IOException {
        List<String> all = Files.readAllLines(Path.of(file));
        return utf8(String.join("\n", all.subList(0, Math.min(lines, all.size()))) + "\n");
    }

    private Path scratch(String name, byte[] in) throws IOException {
        return Files.write(work.resolve(name), in);
    }

    /** A training CSV as `train` and `eval` load it. */
    private Target csvTable() throws IOException {
        List<byte[]> seeds = List.of(csvHead("data/digits-test.csv", 12), utf8("a,b,label\n1,2,0\n3.5e-3,-4,1\nNaN,,1\n"));
        return target("csv", seeds, in -> {
            CsvTable t = CsvTable.read(scratch("fuzz.csv", in));
            DataLoader.features(t, t.header());
        });
    }

    /** A CSV file as the daemon's source reads it: the header check at start, then every line. */
    private Target csvSource() throws IOException {
        List<byte[]> seeds = List.of(utf8("t,a,b\n0,1,2\n1,NaN,3\n2,,inf\n3,4e5,-1\n"), csvHead("data/digits-test.csv", 6));
        return target("csv-source", seeds, in -> {
            Path p = scratch("source.csv", in);
            List<String> cols = List.of("a", "b");
            CsvSource.checkHeader(p, cols);
            CsvSource s = new CsvSource(p, cols, false, new SourceStats());
            float[] v = new float[2];
            try {
                for (int i = 0; i < 100_000 && s.read(v, 0) != org.edgetrain.ingest.Source.END; i++) { }
            } finally {
                s.close();
            }
        });
    }

    private byte[] modelSeed() throws IOException {
        RunConfig cfg = RunConfig.parse("seed.conf", "[model]\nlayers = dense(8) batchnorm leaky_relu residual(dense(8) tanh) dense(3)\n"
                + "[loss]\ntype = cross_entropy\n");
        Trainer t = new Trainer(cfg.network(4), cfg.training(), new JavaKernels());
        Path f = work.resolve("seed.etm");
        ModelFile.write(f, Model.of(t, List.of("a", "b", "c", "d"), List.of("y"), Standardizer.identity(4), java.util.Map.of("note", "seed")));
        return Files.readAllBytes(f);
    }

    /** A model file as `eval`, `predict` and `--init-from` load it: read, then its network built and its tensors loaded. */
    private Target model(String name, byte[] seed, boolean refixCrc) {
        return target(name, List.of(seed), in -> {
            Path p = scratch("fuzz.etm", refixCrc ? Containers.refix(in) : in);
            Model m = ModelFile.read(p);
            m.inference(new JavaKernels(), 2, p.toString());
        });
    }

    /** Safetensors as `--init-from` loads them: read, then loaded into the seed model's network. */
    private Target safetensors(byte[] model) throws IOException {
        Path mf = scratch("st-seed.etm", model);
        Model m = ModelFile.read(mf);
        Path sf = work.resolve("seed.safetensors");
        Trainer t = new Trainer(m.network(), RunConfig.parse("s.conf", "[model]\nlayers = dense(2)\n[loss]\ntype = cross_entropy\n").training(),
                new JavaKernels());
        Safetensors.write(sf, StateDict.export(t.network()), java.util.Map.of("format", "pt"));
        List<byte[]> seeds = new ArrayList<>(List.of(Files.readAllBytes(sf)));
        return target("safetensors", seeds, in -> {
            var file = Safetensors.read(scratch("fuzz.safetensors", in));
            StateDict.load(t.network(), file.tensors(), "fuzz.safetensors");
        });
    }

    private static Daemon daemon(Path state) {
        ConfigFile f = ConfigFile.parse("fuzz-daemon.conf", DAEMON_CONFIG).with("daemon.state_dir", state.toString())
                .with("daemon.max_steps", "200");
        return new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
    }

    private byte[] checkpointSeed() throws IOException {
        Path state = work.resolve("seed-state");
        daemon(state).run();
        try (var files = Files.list(state.resolve("checkpoints"))) {
            Path newest = files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).sorted().reduce((a, b) -> b).orElseThrow();
            return Files.readAllBytes(newest);
        }
    }

    /** A checkpoint as the daemon resumes from it at start: the only file in its directory. */
    private Target checkpoint(String name, byte[] seed, boolean refixCrc) throws IOException {
        Path state = work.resolve("state-" + name);
        Daemon d = daemon(state);
        Path file = state.resolve("checkpoints").resolve("checkpoint-000000000200.ckpt");
        Files.createDirectories(file.getParent());
        return new Target() {
            public String name() {
                return name;
            }

            public List<byte[]> seeds() {
                return List.of(seed);
            }

            public Outcome run(byte[] input) throws Exception {
                Files.write(file, refixCrc ? Containers.refix(input) : input);
                try {
                    return d.resume() >= 0 ? Outcome.ACCEPTED : Outcome.REJECTED;
                } catch (BadInputException | FormatException e) {
                    return rejected(e);
                }
            }
        };
    }
}
