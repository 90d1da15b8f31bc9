package org.edgetrain.io;

import org.edgetrain.nn.TensorData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    static List<TensorData> sampleTensors() {
        float[] weight = {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE};
        return List.of(
                TensorData.ofFloats("z.weight", new int[] {2, 3}, weight), // names deliberately not sorted
                TensorData.ofFloats("a.bias", new int[] {3}, new float[] {0.1f, 0.2f, 0.3f}),
                TensorData.ofFloats("scalar", new int[0], new float[] {42.25f}),
                TensorData.ofLong("bn.num_batches_tracked", 123_456_789_012L),
                TensorData.ofFloats("empty", new int[] {0}, new float[0]),
                TensorData.ofFloats("empty.2d", new int[] {2, 0, 3}, new float[0]),
                new TensorData("longs", new int[] {2, 2}, null, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}),
                TensorData.ofFloats("ünïcödé \"name\"", new int[] {1, 1, 1}, new float[] {7f}));
    }

    static Map<String, String> sampleMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("edgetrain", "step=10\nloss=\"0.5\"");
        m.put("a", "ü");
        return m;
    }

    @Test
    void roundTripKeepsTensorsShapesOrderAndMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, sampleTensors(), sampleMetadata());
        SafetensorsFile back = Safetensors.read(file);
        assertEquals(sampleTensors(), back.tensors());
        assertEquals(sampleMetadata(), back.metadata());
        assertEquals(List.of("format", "edgetrain", "a"), new ArrayList<>(back.metadata().keySet()));
        assertEquals(back.tensors().get(3), back.tensor("bn.num_batches_tracked").orElseThrow());
        assertArrayEquals(Files.readAllBytes(file), Safetensors.toBytes(sampleTensors(), sampleMetadata()));
    }

    @Test
    void emptyListAndNoMetadataRoundTrip() throws IOException {
        Path file = dir.resolve("nothing.safetensors");
        Safetensors.write(file, List.of(), null);
        SafetensorsFile back = Safetensors.read(file);
        assertEquals(List.of(), back.tensors());
        assertEquals(Map.of(), back.metadata());
        assertEquals("{}      ", header(Files.readAllBytes(file)));
    }

    @Test
    void headerIsPaddedWithSpacesSoDataStartsEightByteAligned() {
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            byte[] bytes = Safetensors.toBytes(
                    List.of(TensorData.ofFloats("x".repeat(nameLength), new int[] {1}, new float[] {1f})), Map.of());
            long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8, "header length " + n);
            String header = header(bytes);
            assertTrue(header.startsWith("{\"" + "x".repeat(nameLength) + "\":{\"dtype\":\"F32\",\"shape\":[1],"
                    + "\"data_offsets\":[0,4]}}"), header);
            assertTrue(header.length() - header.stripTrailing().length() < 8, header);
            assertEquals(8 + n + 4, bytes.length);
        }
    }

    @Test
    void tensorsLargerThanOneChunkRoundTrip() throws IOException {
        int n = Safetensors.CHUNK_BYTES / 4 * 2 + 3; // spans three chunks, the last one partial
        float[] f = new float[n];
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            f[i] = i * 0.5f - 7;
            l[i] = (long) i * 1_000_003L - 5;
        }
        List<TensorData> big = List.of(TensorData.ofFloats("f", new int[] {n}, f), new TensorData("l", new int[] {n},
                null, l), TensorData.ofFloats("tail", new int[] {2}, new float[] {1, 2}));
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, big, Map.of());
        assertEquals(big, Safetensors.read(file).tensors());
    }

    @Test
    void tensorsComeInByteOrderNotHeaderOrder() throws IOException {
        // "b" is first in the JSON but its bytes come second; a following empty tensor shares an offset with "b".
        Path file = SafetensorsMalformedTest.file(dir, "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},"
                + "\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-9).putFloat(2.5f).array());
        List<TensorData> tensors = Safetensors.read(file).tensors();
        assertEquals(List.of(new TensorData("a", new int[] {1}, null, new long[] {-9}),
                TensorData.ofFloats("b", new int[] {1}, new float[] {2.5f}),
                TensorData.ofFloats("e", new int[] {0}, new float[0])), tensors);
    }

    @Test
    void halfToFloatIsExactForAllHalfValues() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            int exponent = (bits >>> 10) & 0x1F;
            int mantissa = bits & 0x3FF;
            double sign = (bits & 0x8000) != 0 ? -1 : 1;
            // The defining formula, independent of the bit manipulation under test.
            double expected = exponent == 0x1F ? (mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN)
                    : exponent == 0 ? sign * Math.scalb((double) mantissa, -24)
                    : sign * (1 + mantissa / 1024.0) * Math.scalb(1.0, exponent - 15);
            float actual = Safetensors.halfToFloat((short) bits);
            assertEquals(Float.floatToIntBits((float) expected), Float.floatToIntBits(actual),
                    String.format("half 0x%04x", bits));
        }
        assertEquals(0x7FC0_2000, Float.floatToRawIntBits(Safetensors.halfToFloat((short) 0x7E01)), "NaN payload");
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        assertEquals(1f, Safetensors.bfloat16ToFloat((short) 0x3F80));
        assertEquals(-2f, Safetensors.bfloat16ToFloat((short) 0xC000));
        assertEquals(0x1p-133f, Safetensors.bfloat16ToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, Safetensors.bfloat16ToFloat((short) 0xFF80));
        assertEquals(-0f, Safetensors.bfloat16ToFloat((short) 0x8000));
        assertTrue(Float.isNaN(Safetensors.bfloat16ToFloat((short) 0x7FC0)));
    }

    @Test
    void writeRefusesDuplicateOrReservedNamesAndNullMetadata() {
        TensorData t = TensorData.ofLong("n", 1);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(List.of(t, t), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.toBytes(List.of(TensorData.ofLong("__metadata__", 1)), Map.of()));
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(List.of(t), withNull));
    }

    static String header(byte[] file) {
        int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(file, 8, n, StandardCharsets.UTF_8);
    }
}
