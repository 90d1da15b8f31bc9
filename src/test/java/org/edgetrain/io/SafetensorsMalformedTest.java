package org.edgetrain.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can break must end in one FormatException line that names the file and the problem. */
class SafetensorsMalformedTest {
    @TempDir
    Path dir;

    private static final String W = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        assertProblem(raw(new byte[0]), "file is 0 bytes, shorter than the 8-byte header length");
        assertProblem(raw(new byte[5]), "file is 5 bytes, shorter than the 8-byte header length");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() throws IOException {
        assertProblem(raw(lengthPrefix(1000, 10)), "header length 1000 bytes runs past the end of the file, which has 10");
        assertProblem(raw(lengthPrefix(-1, 10)), "header length 18446744073709551615 bytes runs past the end");
    }

    @Test
    void headerLengthOverTheLimit() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(lengthPrefix(Safetensors.MAX_HEADER_BYTES + 8L, 0));
            f.setLength(8 + Safetensors.MAX_HEADER_BYTES + 8L); // sparse: costs no disk
        }
        assertProblem(file, "header length 100000008 bytes exceeds the limit of 100000000");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] header = "{\"w\u00ff\":1}".getBytes(StandardCharsets.ISO_8859_1); // a lone 0xFF byte at index 3
        assertProblem(raw(concat(lengthPrefix(header.length, 0), header)),
                "header is not valid UTF-8 at byte 3 of the header");
    }

    @Test
    void headerNotJson() throws IOException {
        assertProblem(file("{\"w\": ", new byte[0]), "header is not valid JSON: expected a value at character 6");
        assertProblem(file("", new byte[0]), "header is not valid JSON: expected a value at character 0");
        assertProblem(file(W + " junk", new byte[8]), "header is not valid JSON: expected end of input at character");
        assertProblem(file("{\"w\":1,\"w\":2}", new byte[0]), "header is not valid JSON: duplicate key \"w\"");
        assertProblem(file("[1, 2]", new byte[0]), "header must be a JSON object, found an array");
        assertProblem(file("{\"w\":[0]}", new byte[0]),
                "tensor \"w\" must be an object with dtype, shape and data_offsets, found an array");
    }

    @Test
    void headerPaddedWithTrailingWhitespaceIsAccepted() throws IOException {
        Path file = file(W + "   \n\t ", new byte[8]);
        assertTrue(Safetensors.read(file).tensor("w").isPresent());
    }

    @Test
    void missingFields() throws IOException {
        assertProblem(file("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" is missing \"dtype\"; each tensor needs dtype, shape and data_offsets");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" is missing \"shape\"");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]),
                "tensor \"w\" is missing \"data_offsets\"");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"order\":\"C\"}}",
                new byte[8]), "tensor \"w\" has unknown key \"order\"; allowed: dtype, shape, data_offsets");
    }

    @Test
    void unsupportedDtypeNamesTensorDtypeAndTheAllowedOnes() throws IOException {
        assertProblem(file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]),
                "tensor \"w\" has dtype \"F8_E4M3\"; edgetrain reads F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL");
        assertProblem(file("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" has dtype 4; edgetrain reads F32");
    }

    @Test
    void badShapes() throws IOException {
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" has negative dimension -1 in shape [2,-1]; dimensions must be >= 0");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" has dimension 2.0 in shape [2.0]; allowed: integers from 0 to 2147483647");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" has shape 2; allowed: a list of integers >= 0");
        assertProblem(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"w\" with shape [65536,65536] has more elements than a Java array holds");
    }

    @Test
    void badDataOffsets() throws IOException {
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8]),
                "tensor \"w\" has data_offsets [8,0]; allowed: [begin, end], integers with 0 <= begin <= end");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", new byte[8]),
                "tensor \"w\" has data_offsets [0,8,16]; allowed");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", new byte[8]),
                "tensor \"w\" has data_offsets [-8,0]; allowed");
        assertProblem(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,40]}}", new byte[40]),
                "tensor \"w\" has data_offsets [0, 40] (40 bytes) but shape [3, 4] of F32 needs 48 bytes");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertProblem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensor \"b\" data_offsets [4, 12] overlap tensor \"a\", which ends at 8");
        // An empty tensor inside another one is an overlap too.
        assertProblem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", new byte[8]),
                "tensor \"e\" data_offsets [4, 4] overlap tensor \"a\"");
    }

    @Test
    void holesBetweenOrBeforeTensors() throws IOException {
        assertProblem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", new byte[20]),
                "tensor \"b\" data_offsets [12, 20] leave a hole of 4 bytes after tensor \"a\"");
        assertProblem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", new byte[16]),
                "tensor \"a\" data_offsets [8, 16] leave a hole of 8 bytes after the start of the data");
    }

    @Test
    void offsetsPastTheEndOrBytesLeftOver() throws IOException {
        assertProblem(file(W, new byte[4]),
                "tensor \"w\" data_offsets [0, 8] run past the end of the file, whose data section holds 4 bytes");
        assertProblem(file(W, new byte[12]), "4 bytes after the last tensor belong to no tensor");
    }

    @Test
    void badMetadata() throws IOException {
        assertProblem(file("{\"__metadata__\":{\"step\":10}}", new byte[0]),
                "\"__metadata__\" key \"step\" maps to 10; only strings are allowed");
        assertProblem(file("{\"__metadata__\":[\"x\"]}", new byte[0]),
                "\"__metadata__\" must be an object of strings, found an array");
    }

    @Test
    void boolBytesOtherThanZeroOrOne() throws IOException {
        assertProblem(file("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", new byte[] {1, 0, 7}),
                "tensor \"m\" of dtype BOOL holds byte 7 at element 2; allowed: 0 or 1");
    }

    @Test
    void everyTruncationOfAValidFileIsRefused() throws IOException {
        byte[] whole = Safetensors.toBytes(SafetensorsTest.sampleTensors(), SafetensorsTest.sampleMetadata());
        for (int length = 0; length < whole.length; length++) {
            Path cut = raw(Arrays.copyOf(whole, length));
            FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(cut), "cut at " + length);
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        }
    }

    @Test
    void missingFileIsAnIoErrorNotAFormatError() {
        assertThrows(IOException.class, () -> Safetensors.read(dir.resolve("absent.safetensors")));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A safetensors file from a header text (not padded, to test exactly what is given) and the data section. */
    static Path file(Path dir, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile(dir, "case", ".safetensors");
        Files.write(file, concat(concat(lengthPrefix(h.length, 0), h), data));
        return file;
    }

    private Path file(String header, byte[] data) throws IOException {
        return file(dir, header, data);
    }

    private Path raw(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    /** The 8-byte little-endian header length, followed by {@code extra} zero bytes. */
    private static byte[] lengthPrefix(long n, int extra) {
        return ByteBuffer.allocate(8 + extra).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void assertProblem(Path file, String problem) {
        FormatException e = assertThrows(FormatException.class, () -> Safetensors.read(file), problem);
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": "), "names the file: " + message);
        assertTrue(message.contains(problem), "expected «" + problem + "» in: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }
}
