package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.RunConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.connect.Sources;
import org.edgetrain.io.Checkpoint;
import org.edgetrain.kernels.JavaKernels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.2: a checkpoint whose CRC is valid but whose contents are not (a writer bug, tampering, an old layout) once
 * crashed the daemon at start (ArrayIndexOutOfBounds in Daemon.resume and MissingValues.load, OutOfMemoryError in
 * Checkpoint.read) or resumed it into a state that never trains. Each must skip to the previous checkpoint.
 */
class DamagedCheckpointTest {
    @TempDir
    Path tmp;
    Path state, newest;
    long older;

    static ConfigFile config(Path state, long maxSteps) {
        return ConfigFile.parse("test.conf", DaemonTest.CONFIG).with("daemon.state_dir", state.toString())
                .with("daemon.max_steps", Long.toString(maxSteps));
    }

    static Daemon daemon(ConfigFile f) {
        return new Daemon(RunConfig.of(f), new DaemonConfig(f, null), Sources.pipeline(SourceConfig.of(f, false)), new JavaKernels(),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @BeforeEach
    void twoCheckpoints() throws Exception {
        state = tmp.resolve("st");
        daemon(config(state, 500)).run(); // checkpoints at 250 and 500
        var files = new CheckpointStore(state.resolve("checkpoints"), 3).list();
        assertEquals(2, files.size(), files.toString());
        newest = files.get(0);
        older = CheckpointStore.stepOf(files.get(1));
    }

    /** Rewrites the newest checkpoint through the writer, so its CRC is valid. */
    private void rewrite(Consumer<Checkpoint> damage) throws Exception {
        Checkpoint c = Checkpoint.read(newest);
        damage.accept(c);
        c.write(newest);
        Checkpoint.read(newest); // the CRC holds
    }

    /** Resumes, then trains on: it must come from the older checkpoint and take steps. */
    private void resumesFromTheOlderOneAndTrains() throws Exception {
        Daemon d = daemon(config(state, older + 300));
        assertEquals(older, d.resume(), "falls back to the previous checkpoint");
        d.run();
        assertEquals(older + 300, d.trainer().steps(), "and trains from there");
    }

    @Test
    void aCounterSectionTooShortFallsBack() throws Exception {
        rewrite(c -> c.longs("daemon.counters", new long[] {5}));
        resumesFromTheOlderOneAndTrains();
    }

    @Test
    void aPreprocessingSectionOfTheWrongLengthFallsBack() throws Exception {
        rewrite(c -> c.floats("ingest.missing.last", new float[1]));
        resumesFromTheOlderOneAndTrains();
    }

    @Test
    void outOfRangeCountersThatWouldNeverTrainFallBack() throws Exception {
        rewrite(c -> {
            long[] k = c.longs("daemon.counters").clone();
            k[2] = Long.MIN_VALUE; // windows since the last step: it would never reach step_every again
            c.longs("daemon.counters", k);
        });
        resumesFromTheOlderOneAndTrains();
    }

    @Test
    void aWindowPositionOutOfRangeFallsBack() throws Exception {
        rewrite(c -> c.longs("ingest.window.pos", new long[] {10, -5_000_000_000L}));
        resumesFromTheOlderOneAndTrains();
    }

    @Test
    void aZeroRandomStateFallsBackAndLeavesNothingHalfLoaded() throws Exception {
        float[] fresh = DaemonTestAccess.weights(daemon(config(tmp.resolve("fresh"), 0)));
        rewrite(c -> c.ints("daemon.replay.rng", new int[4]));
        Files.delete(new CheckpointStore(state.resolve("checkpoints"), 3).list().get(1)); // no older one to fall back to
        Daemon d = daemon(config(state, 100));
        assertEquals(-1, d.resume(), "starts fresh");
        assertTrue(java.util.Arrays.equals(fresh, DaemonTestAccess.weights(d)), "with the fresh weights, not the damaged checkpoint's");
    }

    @Test
    void aSectionCountOfTwoToTheThirtyIsRefusedBeforeAllocating() throws Exception {
        byte[] b = Files.readAllBytes(newest);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        // the first section is a meta section: kind (1), name length (2), name, count (4)
        int nameLength = Short.toUnsignedInt(bb.getShort(33));
        bb.putInt(32 + 3 + nameLength, 1 << 30);
        refixCrc(b);
        Files.write(newest, b);
        resumesFromTheOlderOneAndTrains();
    }

    @Test
    void aHeaderSectionCountOfTwoToTheThirtyIsRefused() throws Exception {
        byte[] b = Files.readAllBytes(newest);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 1 << 30); // the header's section count (outside the CRC)
        Files.write(newest, b);
        resumesFromTheOlderOneAndTrains();
    }

    /** Puts the payload's CRC32 into the header, as a writer bug or tampering would leave it. */
    static void refixCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 32, b.length - 32);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(24, (int) crc.getValue());
    }
}
