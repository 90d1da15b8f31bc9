package org.edgetrain.io;

import org.edgetrain.nn.TensorData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the reference implementation: fixtures written by {@code safetensors.torch.save_file} (see
 * scripts/reference/make_safetensors_fixtures.py, whose formulas the expected values below repeat), and files written
 * here loaded by safetensors' reference reader ({@code safetensors.numpy.load_file}, the Rust code behind
 * {@code safetensors.torch.load_file}); .ci/run installs it, and under CI=true its absence fails.
 */
class SafetensorsInteropTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryDtypeWrittenByPytorchExactly() throws Exception {
        SafetensorsFile f = Safetensors.read(fixture("every_dtype.safetensors"));

        // save_file lays tensors out by dtype size, then name; we keep that byte order.
        assertEquals(List.of("i64", "num_batches_tracked", "f64", "empty", "f32", "i32", "bf16", "bf16_special", "f16",
                "f16_special", "i16", "i8", "u8", "bool"), f.tensors().stream().map(TensorData::name).toList());
        // No key-order check: the Rust writer keeps metadata in a HashMap, so its order changes between runs.
        assertEquals(Map.of("format", "pt", "made_by", "make_safetensors_fixtures.py",
                "note", "ünïcödé \"quoted\" \\ back\nslash"), f.metadata());

        float[] f32 = new float[12];
        for (int i = 0; i < 12; i++) f32[i] = i * 0.25f - 1f;
        assertFloats(f, "f32", new int[] {3, 4}, f32);
        float[] f64 = new float[6];
        for (int i = 0; i < 6; i++) f64[i] = (float) (i / 3.0);
        assertFloats(f, "f64", new int[] {2, 3}, f64);
        float[] f16 = new float[16];
        for (int i = 0; i < 16; i++) f16[i] = (i - 8) * 0.125f;
        assertFloats(f, "f16", new int[] {4, 4}, f16);
        assertFloats(f, "f16_special", new int[] {10}, new float[] {0f, -0f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f,
                1 + 0x1p-10f, 65504f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN});
        float[] bf16 = new float[8];
        for (int i = 0; i < 8; i++) bf16[i] = (i - 4) * 1.5f;
        assertFloats(f, "bf16", new int[] {2, 4}, bf16);
        assertFloats(f, "bf16_special", new int[] {5}, new float[] {1 + 0x1p-7f, 0x1p-133f, (2 - 0x1p-7f) * 0x1p127f,
                Float.NEGATIVE_INFINITY, Float.NaN});
        assertFloats(f, "empty", new int[] {0, 3}, new float[0]);

        assertLongs(f, "i64", new int[] {6}, new long[] {-3_000_000_000_000L, -2_000_000_000_000L,
                -1_000_000_000_000L, 0, 1_000_000_000_000L, 2_000_000_000_000L});
        assertLongs(f, "num_batches_tracked", new int[0], new long[] {42});
        assertLongs(f, "i32", new int[] {4}, new long[] {-200_000, -100_000, 0, 100_000});
        assertLongs(f, "i16", new int[] {4}, new long[] {-2000, -1000, 0, 1000});
        assertLongs(f, "i8", new int[] {4}, new long[] {-128, -1, 0, 127});
        assertLongs(f, "u8", new int[] {4}, new long[] {0, 1, 128, 255});
        assertLongs(f, "bool", new int[] {3}, new long[] {1, 0, 1});
    }

    @Test
    void rewritingAPytorchF32I64FileGivesTheSameBytes() throws Exception {
        Path original = fixture("f32_i64.safetensors");
        SafetensorsFile f = Safetensors.read(original);
        float[] weight = new float[6];
        for (int i = 0; i < 6; i++) weight[i] = i * -0.5f; // as in torch, 0 × -0.5 is -0.0
        assertFloats(f, "0.weight", new int[] {2, 3}, weight);
        assertFloats(f, "0.bias", new int[] {2}, new float[] {0.1f, -0.2f});
        assertLongs(f, "1.num_batches_tracked", new int[0], new long[] {7});
        assertFloats(f, "1.running_mean", new int[] {0}, new float[0]);
        assertFloats(f, "2.scale", new int[0], new float[] {3.5f});
        // Same header text, padding and layout as the Python writer: byte for byte.
        assertArrayEquals(Files.readAllBytes(original), Safetensors.toBytes(f.tensors(), f.metadata()));
    }

    @Test
    void theSafetensorsReferenceLoadsWhatWeWrite() throws Exception {
        // safetensors' own Python package (its Rust reader, the one safetensors.torch.load_file uses) through its numpy
        // binding: PyPI's torch brings gigabytes of CUDA libraries, too heavy for every CI run; .ci/run pins these two
        boolean available = pythonHasSafetensors();
        if (!available && System.getenv("CI") != null) {
            org.junit.jupiter.api.Assertions.fail("python3 with numpy and safetensors is missing: .ci/run installs them with pip");
        }
        assumeTrue(available, "python3 with numpy and safetensors is not installed (pip install safetensors numpy); skipping");
        Path file = dir.resolve("from_java.safetensors");
        List<TensorData> tensors = SafetensorsTest.sampleTensors();
        Safetensors.write(file, tensors, SafetensorsTest.sampleMetadata());

        // Python reports each tensor's dtype, shape and raw bits (float32 viewed as int32), so NaN and -0 compare
        // exactly; the report is JSON, read back with our own parser.
        String script = String.join("\n",
                "import json, sys",
                "import numpy as np",
                "from safetensors import safe_open",
                "from safetensors.numpy import load_file",
                "path = sys.argv[1]",
                "tensors = load_file(path)",
                "with safe_open(path, 'np') as f:",
                "    metadata = f.metadata()",
                "out = {'metadata': metadata, 'tensors': {}}",
                "for name, t in tensors.items():",
                "    flat = t.reshape(-1)",
                "    bits = flat.view(np.int32) if t.dtype == np.float32 else flat",
                "    out['tensors'][name] = {'dtype': str(t.dtype), 'shape': list(t.shape), 'bits': bits.tolist()}",
                "print(json.dumps(out))");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder("python3", "-c", script, file.toString())
                .redirectError(stderr.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 timed out");
        assertEquals(0, p.exitValue(), () -> "python3 failed: " + readQuietly(stderr));

        Map<?, ?> report = (Map<?, ?>) Json.parse(stdout.strip());
        assertEquals(SafetensorsTest.sampleMetadata(), report.get("metadata"));
        Map<?, ?> loaded = (Map<?, ?>) report.get("tensors");
        assertEquals(tensors.size(), loaded.size());
        for (TensorData t : tensors) {
            Map<?, ?> py = (Map<?, ?>) loaded.get(t.name());
            assertEquals(t.isFloat() ? "float32" : "int64", py.get("dtype"), t.name());
            assertEquals(toLongs(t.shape()), py.get("shape"), t.name());
            List<Long> expectedBits = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                expectedBits.add(t.isFloat() ? Float.floatToRawIntBits(t.floats()[i]) : t.longs()[i]);
            }
            assertEquals(expectedBits, py.get("bits"), t.name());
        }
    }

    private static boolean pythonHasSafetensors() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy, safetensors.numpy")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no python3 on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path fixture(String name) throws URISyntaxException {
        URL url = SafetensorsInteropTest.class.getResource("/safetensors/" + name);
        assertTrue(url != null, "missing test resource safetensors/" + name);
        return Path.of(url.toURI());
    }

    private static void assertFloats(SafetensorsFile f, String name, int[] shape, float[] values) {
        TensorData t = f.tensor(name).orElseThrow(() -> new AssertionError("no tensor " + name));
        assertArrayEquals(shape, t.shape(), name);
        // assertArrayEquals on floats compares like Float.equals: -0 differs from 0 and NaN equals NaN.
        assertArrayEquals(values, t.floats(), name);
    }

    private static void assertLongs(SafetensorsFile f, String name, int[] shape, long[] values) {
        TensorData t = f.tensor(name).orElseThrow(() -> new AssertionError("no tensor " + name));
        assertArrayEquals(shape, t.shape(), name);
        assertArrayEquals(values, t.longs(), name);
    }

    private static List<Long> toLongs(int[] shape) {
        return Arrays.stream(shape).mapToObj(d -> (long) d).toList();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
