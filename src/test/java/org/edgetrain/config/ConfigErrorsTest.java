package org.edgetrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgetrain.cli.CliRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broken config stops {@code edgetrain train} with exit code 2 and one line naming the file, the line, the key, what
 * was found and what is allowed.
 */
class ConfigErrorsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key (typo)        | [optimizer]\\nlearning_rate = 0.1                 | :2: unknown key optimizer.learning_rate; [optimizer] allows:
            unknown section           | [optimiser]\\ntype = sgd                         | unknown section [optimiser]; allowed: model, loss
            bad number                | [optimizer]\\nlr = fast                          | :2: key optimizer.lr: found 'fast'; allowed: a number in
            negative learning rate    | [optimizer]\\nlr = -0.1                          | :2: key optimizer.lr: found '-0.1'
            unknown optimizer         | [optimizer]\\ntype = adamax                      | :2: key optimizer.type: found 'adamax'; allowed: sgd, momentum, nesterov, adam, adamw, rmsprop
            key for another optimizer | [optimizer]\\ntype = sgd\\nbeta1 = 0.9           | :3: key optimizer.beta1 applies only with type = adam or adamw
            unknown loss              | [loss]\\ntype = hinge                            | :2: key loss.type: found 'hinge'; allowed: mse, cross_entropy, bce, huber
            batch zero                | [train]\\nbatch = 0                              | :2: key train.batch: found '0'; allowed: a whole number in [1,
            boolean                   | [train]\\nshuffle = maybe                        | :2: key train.shuffle: found 'maybe'; allowed: true, false
            duplicate key             | [train]\\nbatch = 8\\nbatch = 16                 | :3: key train.batch is set twice (first on line 2)
            no equals sign            | [train]\\nbatch 8                                | :2: expected 'key = value', found 'batch 8'
            unknown layer with column | [model]\\nlayers = dense(16) relu dens(10)       | :2: key model.layers: column 16: unknown layer 'dens' (did you mean dense?); allowed: dense(units)
            dense without units       | [model]\\nlayers = dense leaky_relu dense(10)    | :2: key model.layers: column 1: dense needs a number of units >= 1
            dropout rate out of range | [model]\\nlayers = dense(8) dropout(1.5) dense(10) | :2: key model.layers: column 10: dropout needs a rate in [0, 1)
            unclosed parenthesis      | [model]\\nlayers = dense(8 dense(10)             | :2: key model.layers: column 9: expected ',' or ')', found 'd'
            residual changes width    | [model]\\nlayers = dense(8) residual(dense(4)) dense(10) | :2: key model.layers: residual block 1 maps width 8 to 4
            freeze a missing layer    | [model]\\nlayers = dense(8) relu dense(10)\\nfreeze = 7 | :3: key model.freeze: no layer '7'
            freeze an activation      | [model]\\nlayers = dense(8) relu dense(10)\\nfreeze = 1 | :3: key model.freeze: layer 1 (relu) has no parameters to freeze
            inputs disagree with data | [model]\\ninputs = 10\\nlayers = dense(10)         | :2: key model.inputs: found 10, but the data has 64 feature columns
            both layer styles         | [model]\\nlayers = dense(10)\\nhidden = 32        | :3: key model.hidden: give either model.layers or model.hidden + model.outputs, not both
            bad init                  | [model]\\nlayers = dense(10, init=lecun)        | :2: key model.layers: column 1: dense init 'lecun' is unknown; allowed: auto, xavier_uniform
            step schedule needs size  | [schedule]\\ntype = step                         | :2: key schedule.type: found 'step'; allowed: step together with schedule.step_size
            unknown board             | [engine]\\nboard = pi9                          | :2: key engine.board: found 'pi9'; allowed: pi-zero-2w, pi3, pi4, pi5
            unknown kernels           | [engine]\\nkernels = gpu                        | :2: key engine.kernels: found 'gpu'; allowed: auto, native, java
            guard not a boolean       | [health]\\nguard = yes                          | :2: key health.guard: found 'yes'; allowed: true, false
            guard factor out of range | [health]\\nlr_factor = 2                        | :2: key health.lr_factor: found '2'; allowed: a number in [0.01, 0.99]
            dense gain not positive   | [model]\\nlayers = dense(10, gain=0)          | :2: key model.layers: column 1: dense gain must be a number > 0, found 0.0
            kernel longer than window | [model]\\nchannels = 4\\nlayers = conv1d(8, 20) flatten dense(10) | :3: key model.layers: layer 0 (conv1d(8, 20)) spans 20 steps but its input is 16×4 (time × channels); use a shorter kernel or padding=same
            dense after conv          | [model]\\nchannels = 4\\nlayers = conv1d(8, 3) dense(10) | :3: key model.layers: layer 1 (dense(10)) reads a 14×8 sequence (time × channels); put flatten or global_avgpool1d before it
            pool longer than window   | [model]\\nchannels = 4\\nlayers = conv1d(8, 3) maxpool1d(16) flatten dense(10) | :3: key model.layers: layer 1 (maxpool1d(16)) pools 16 steps but its input is 14×8
            channels not dividing     | [model]\\nchannels = 5\\nlayers = dense(10)     | :2: key model.channels: the input row has 64 values, not a whole number of steps of 5 channels
            same padding with stride  | [model]\\nchannels = 4\\nlayers = conv1d(8, 3, stride=2, padding=same) | :3: key model.layers: column 1: conv1d padding=same needs stride 1
            unknown padding           | [model]\\nchannels = 4\\nlayers = conv1d(8, 3, padding=full) | :3: key model.layers: column 1: conv1d padding 'full' is unknown; allowed: valid, same, causal
            gru sequences unknown     | [model]\\nchannels = 4\\nlayers = gru(8, sequences=first) dense(10) | :3: key model.layers: column 1: gru sequences 'first' is unknown; allowed: last, all
            gru refused in fixed point | [engine]\\nprecision = fixed\\n[model]\\nchannels = 4\\nlayers = gru(8) dense(10) | :2: key engine.precision: found 'fixed'; allowed: fixed only with layers dense
            label column missing      | [data]\\nlabel = digit                           | digits-train.csv: no label column 'digit'; the header has: pixel0
            cross-entropy one output  | [model]\\nlayers = dense(1)                      | loss cross_entropy needs a last layer with one output per class (>= 2)
            too few classes           | [model]\\nlayers = dense(5)                      | digits-train.csv:3: column 'label': found 9, expected a class index 0..4 (the model has 5 outputs)
            int16 on threads          | [engine]\\nprecision = fixed\\nthreads = 2      | :3: key engine.threads: found '2'; allowed: 1 with engine.precision = fixed (the int16 kernels run on one thread)
            """)
    void badConfigExitsWith2AndNamesWhere(String what, String body, String expected) throws Exception {
        String text = body.replace("\\n", "\n");
        // every config needs a model; appended last so the line numbers above stay as written
        if (!text.contains("[model]")) text += "\n[model]\nlayers = dense(10)\n";
        Path cfg = tmp.resolve("bad.conf");
        Files.writeString(cfg, text);
        CliRunner r = CliRunner.run("train", "--config", cfg.toString(), "--train", "data/digits-train.csv", "--out",
                tmp.resolve("never.etm").toString());
        assertEquals(2, r.exitCode(), what + ": " + r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(expected.strip()), what + ":\n expected to contain: " + expected.strip() + "\n got: " + err);
        assertTrue(err.contains("bad.conf") || err.contains("digits-train.csv"), "names the file: " + err);
        assertFalse(Files.exists(tmp.resolve("never.etm")), "no model written");
    }

    @Test
    void threadsFlagAboveOneIsRefusedInFixedPointNamingTheFlag() throws Exception {
        Path cfg = tmp.resolve("fixed.conf");
        Files.writeString(cfg, "[model]\nlayers = dense(10)\n[engine]\nprecision = fixed\n");
        CliRunner r = CliRunner.run("train", "--config", cfg.toString(), "--train", "data/digits-train.csv", "--threads", "2", "--out",
                tmp.resolve("never.etm").toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().strip().contains("--threads: found 2; allowed with engine.precision = fixed: 1"), r.err());
        assertFalse(r.err().strip().contains("\n"), r.err());
    }
}
