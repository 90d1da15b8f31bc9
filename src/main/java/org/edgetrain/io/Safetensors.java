package org.edgetrain.io;

import org.edgetrain.nn.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes safetensors (https://github.com/huggingface/safetensors), the format PyTorch and Hugging Face use
 * to exchange weights, so a network trained here loads with {@code safetensors.torch.load_file} and back.
 *
 * <pre>
 *   0          8                      8+N                                            end of file
 *   ├──────────┼──────────────────────┼──────────────────────────────────────────────┤
 *   │ N: u64   │ header: N bytes of   │ data: every tensor's bytes back to back,     │
 *   │ little-  │ UTF-8 JSON, padded   │ little-endian, row-major, no gaps, nothing   │
 *   │ endian   │ with trailing spaces │ after the last tensor                        │
 *   └──────────┴──────────────────────┴──────────────────────────────────────────────┘
 *   header: {"__metadata__": {"key": "value", …},
 *            "name": {"dtype": "F32", "shape": [3, 4], "data_offsets": [begin, end]}, …}
 *   data_offsets count bytes from the start of the data section; end - begin = elements × dtype size.
 * </pre>
 *
 * <p>Reading accepts F32, F64, F16 and BF16 as fp32 (F64 rounds to nearest, out-of-range values become ±Infinity as
 * with PyTorch's {@code .float()}), and I64, I32, I16, I8, U8 and BOOL as int64. Every structural promise of the
 * format is checked, so a truncated or corrupted header fails with one line naming the file and the problem instead of
 * yielding wrong numbers. Writing emits F32 and I64 only, in list order, laid out as the Python library lays it out.
 */
public final class Safetensors {
    static final int LENGTH_BYTES = 8;
    /** The reference implementation's limit; a larger length is a corrupt file, not a real header. */
    static final int MAX_HEADER_BYTES = 100_000_000;
    /** The Python library pads the header so the data section starts 8-byte aligned; we do the same. */
    static final int ALIGNMENT = 8;
    static final String METADATA_KEY = "__metadata__";
    /**
     * Data moves through buffers of this size (a multiple of every dtype size), so reading a large file holds the
     * decoded arrays plus one chunk, never a second full copy, and FileChannel's hidden direct buffer stays small.
     */
    static final int CHUNK_BYTES = 1 << 20;

    private static final Set<String> TENSOR_KEYS = Set.of("dtype", "shape", "data_offsets");

    private Safetensors() {
    }

    /** The element types edgetrain reads, with their size in bytes. */
    enum Dtype {
        F32(4, true), F64(8, true), F16(2, true), BF16(2, true),
        I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

        static final String ALLOWED = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

        final int bytes;
        final boolean isFloat;

        Dtype(int bytes, boolean isFloat) {
            this.bytes = bytes;
            this.isFloat = isFloat;
        }

        static Dtype of(String name) {
            for (Dtype d : values()) {
                if (d.name().equals(name)) return d;
            }
            return null;
        }
    }

    /** One tensor's header entry; offsets relative to the data section. */
    private record Entry(String name, Dtype dtype, int[] shape, int count, long begin, long end) {
        String offsetsText() {
            return "[" + begin + ", " + end + "]";
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** Reads every tensor and the metadata; the tensors come in the order of their bytes in the file. */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, in, in.size());
        }
    }

    /** Reads a safetensors file held in memory (a request body); {@code name} stands for the file in error messages. */
    public static SafetensorsFile fromBytes(String name, byte[] bytes) throws IOException {
        return read(Path.of(name), java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(bytes)), bytes.length);
    }

    /** Reads {@code fileBytes} bytes from {@code in}; {@code file} names the source in error messages. */
    static SafetensorsFile read(Path file, ReadableByteChannel in, long fileBytes) throws IOException {
        if (fileBytes < LENGTH_BYTES) {
            throw new FormatException(file, "file is " + fileBytes + " bytes, shorter than the 8-byte header length"
                    + " every safetensors file starts with");
        }
        ByteBuffer prefix = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, in, prefix, "the header length");
        long headerBytes = prefix.getLong(0);
        long afterPrefix = fileBytes - LENGTH_BYTES;
        if (headerBytes < 0 || headerBytes > afterPrefix) {
            throw new FormatException(file, "header length " + Long.toUnsignedString(headerBytes)
                    + " bytes runs past the end of the file, which has " + afterPrefix + " bytes after the length");
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new FormatException(file, "header length " + headerBytes + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES);
        }
        ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerBytes);
        readFully(file, in, headerBuffer, "the header");
        Map<String, Object> header = parseHeader(file, headerBuffer.array());

        Map<String, String> metadata = metadata(file, header.get(METADATA_KEY));
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (!e.getKey().equals(METADATA_KEY)) entries.add(entry(file, e.getKey(), e.getValue()));
        }
        // JSON key order is not the byte order (the Python writer sorts by dtype size, then name): follow the bytes,
        // and keep header order among empty tensors sharing an offset (List.sort is stable).
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        checkLayout(file, entries, afterPrefix - headerBytes);

        // The channel now stands at the data section, and the entries tile it from 0 in order: read straight through.
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        List<TensorData> tensors = new ArrayList<>(entries.size());
        for (Entry e : entries) tensors.add(readTensor(file, in, chunk, e));
        return new SafetensorsFile(tensors, metadata);
    }

    private static Map<String, Object> parseHeader(Path file, byte[] bytes) throws FormatException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer raw = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length); // UTF-8 never yields more chars than bytes
        CoderResult result = utf8.decode(raw, chars, true);
        if (!result.isError()) result = utf8.flush(chars);
        if (result.isError()) {
            throw new FormatException(file, "header is not valid UTF-8 at byte " + raw.position() + " of the header");
        }
        Object parsed;
        try {
            parsed = Json.parse(chars.flip().toString());
        } catch (ParseException e) {
            throw new FormatException(file, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new FormatException(file, "header must be a JSON object, found " + kind(parsed));
        }
        @SuppressWarnings("unchecked") // Json returns objects as Map<String, Object>
        Map<String, Object> header = (Map<String, Object>) parsed;
        return header;
    }

    private static Map<String, String> metadata(Path file, Object value) throws FormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value == null) return metadata; // absent, or null as serde's Option allows
        if (!(value instanceof Map<?, ?> map)) {
            throw new FormatException(file, "\"" + METADATA_KEY + "\" must be an object of strings, found "
                    + kind(value));
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new FormatException(file, "\"" + METADATA_KEY + "\" key " + Json.write(e.getKey())
                        + " maps to " + kind(e.getValue()) + "; only strings are allowed");
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private static Entry entry(Path file, String name, Object value) throws FormatException {
        String tensor = "tensor " + Json.write(name);
        if (!(value instanceof Map<?, ?> info)) {
            throw new FormatException(file, tensor + " must be an object with dtype, shape and data_offsets, found "
                    + kind(value));
        }
        for (Object key : info.keySet()) {
            // The reference reader ignores unknown keys; we refuse them, since a field we do not understand might
            // change what the bytes mean.
            if (!TENSOR_KEYS.contains(key)) {
                throw new FormatException(file, tensor + " has unknown key " + Json.write(key)
                        + "; allowed: dtype, shape, data_offsets");
            }
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!info.containsKey(key)) {
                throw new FormatException(file, tensor + " is missing \"" + key
                        + "\"; each tensor needs dtype, shape and data_offsets");
            }
        }

        Object dtypeValue = info.get("dtype");
        Dtype dtype = dtypeValue instanceof String s ? Dtype.of(s) : null;
        if (dtype == null) {
            throw new FormatException(file, tensor + " has dtype " + Json.write(dtypeValue) + "; edgetrain reads "
                    + Dtype.ALLOWED);
        }

        Object shapeValue = info.get("shape");
        if (!(shapeValue instanceof List<?> dims)) {
            throw new FormatException(file, tensor + " has shape " + Json.write(shapeValue)
                    + "; allowed: a list of integers >= 0");
        }
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = dims.get(i);
            if (d instanceof Long v && v < 0) {
                throw new FormatException(file, tensor + " has negative dimension " + v + " in shape "
                        + Json.write(shapeValue) + "; dimensions must be >= 0");
            }
            if (!(d instanceof Long v) || v > Integer.MAX_VALUE) {
                throw new FormatException(file, tensor + " has dimension " + Json.write(d) + " in shape "
                        + Json.write(shapeValue) + "; allowed: integers from 0 to " + Integer.MAX_VALUE);
            }
            shape[i] = (int) (long) v;
            // Capped at 2^31 so the next product (< 2^62) cannot overflow; a later 0 dimension still makes it 0.
            count = Math.min(count * v, 1L << 31);
        }
        if (count > Integer.MAX_VALUE) {
            throw new FormatException(file, tensor + " with shape " + Json.write(shapeValue)
                    + " has more elements than a Java array holds (" + Integer.MAX_VALUE + ")");
        }

        Object offsetsValue = info.get("data_offsets");
        if (!(offsetsValue instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)
                || begin < 0 || end < begin) {
            throw new FormatException(file, tensor + " has data_offsets " + Json.write(offsetsValue)
                    + "; allowed: [begin, end], integers with 0 <= begin <= end");
        }
        long needed = count * dtype.bytes;
        if (end - begin != needed) {
            throw new FormatException(file, tensor + " has data_offsets [" + begin + ", " + end + "] (" + (end - begin)
                    + " bytes) but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + needed + " bytes");
        }
        return new Entry(name, dtype, shape, (int) count, begin, end);
    }

    /** The entries, sorted by offset, must tile the data section exactly: no overlap, no hole, nothing left over. */
    private static void checkLayout(Path file, List<Entry> sorted, long dataBytes) throws FormatException {
        long covered = 0;
        String previous = null;
        for (Entry e : sorted) {
            String tensor = "tensor " + Json.write(e.name) + " data_offsets " + e.offsetsText();
            if (e.begin < covered) {
                throw new FormatException(file, tensor + " overlap tensor " + Json.write(previous) + ", which ends at "
                        + covered);
            }
            if (e.begin > covered) {
                throw new FormatException(file, tensor + " leave a hole of " + (e.begin - covered) + " bytes after "
                        + (previous == null ? "the start of the data" : "tensor " + Json.write(previous))
                        + "; tensors must be back to back");
            }
            if (e.end > dataBytes) {
                throw new FormatException(file, tensor + " run past the end of the file, whose data section holds "
                        + dataBytes + " bytes (truncated?)");
            }
            covered = e.end;
            previous = e.name;
        }
        if (covered != dataBytes) {
            throw new FormatException(file, (dataBytes - covered) + " bytes after the last tensor belong to no tensor"
                    + " (data section holds " + dataBytes + " bytes, tensors cover " + covered + ")");
        }
    }

    private static TensorData readTensor(Path file, ReadableByteChannel in, ByteBuffer chunk, Entry e)
            throws IOException {
        float[] floats = e.dtype.isFloat ? new float[e.count] : null;
        long[] longs = e.dtype.isFloat ? null : new long[e.count];
        long left = e.end - e.begin;
        int at = 0;
        while (left > 0) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), left));
            readFully(file, in, chunk, "tensor " + Json.write(e.name));
            int n = chunk.remaining() / e.dtype.bytes; // whole elements: the chunk size is a multiple of 8
            left -= chunk.remaining();
            decode(file, e, chunk, n, floats, longs, at);
            at += n;
        }
        return new TensorData(e.name, e.shape, floats, longs);
    }

    private static void decode(Path file, Entry e, ByteBuffer src, int n, float[] floats, long[] longs, int at)
            throws FormatException {
        switch (e.dtype) {
            case F32 -> src.asFloatBuffer().get(floats, at, n);
            case F64 -> {
                for (int i = 0; i < n; i++) floats[at + i] = (float) src.getDouble();
            }
            case F16 -> {
                for (int i = 0; i < n; i++) floats[at + i] = halfToFloat(src.getShort());
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) floats[at + i] = bfloat16ToFloat(src.getShort());
            }
            case I64 -> src.asLongBuffer().get(longs, at, n);
            case I32 -> {
                for (int i = 0; i < n; i++) longs[at + i] = src.getInt();
            }
            case I16 -> {
                for (int i = 0; i < n; i++) longs[at + i] = src.getShort();
            }
            case I8 -> {
                for (int i = 0; i < n; i++) longs[at + i] = src.get();
            }
            case U8 -> {
                for (int i = 0; i < n; i++) longs[at + i] = src.get() & 0xFF;
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    byte b = src.get();
                    // PyTorch writes only 0 and 1; any other byte means the data is not what the header says.
                    if (b != 0 && b != 1) {
                        throw new FormatException(file, "tensor " + Json.write(e.name) + " of dtype BOOL holds byte "
                                + (b & 0xFF) + " at element " + (at + i) + "; allowed: 0 or 1");
                    }
                    longs[at + i] = b;
                }
            }
        }
    }

    /**
     * IEEE 754 binary16 → binary32, exact (Float.float16ToFloat exists only from Java 20). Half: 1 sign, 5 exponent
     * (bias 15), 10 mantissa bits; every half value is a float, so only the exponent's bias and width change.
     */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13)); // ±Infinity, or NaN keeping its payload
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // zero or subnormal: mantissa × 2^-24, exact in fp32
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a binary32: shift it back into place. */
    static float bfloat16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }

    private static void readFully(Path file, ReadableByteChannel in, ByteBuffer dst, String what) throws IOException {
        while (dst.hasRemaining()) {
            if (in.read(dst) < 0) throw new FormatException(file, "file ends inside " + what + " (truncated?)");
        }
        dst.flip();
    }

    private static String kind(Object value) {
        if (value == null) return "null";
        if (value instanceof Map<?, ?>) return "an object";
        if (value instanceof List<?>) return "an array";
        if (value instanceof String s) return "the string " + Json.write(s);
        return value.toString(); // a number or a boolean, as written
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Writes the tensors in list order (float tensors as F32, long tensors as I64; scalar shape [] allowed) with the
     * metadata (null or empty: no {@code __metadata__}), atomically via {@link AtomicFile}.
     *
     * @throws IllegalArgumentException for duplicate names, a tensor named {@code __metadata__}, or null metadata
     */
    public static void write(Path file, List<TensorData> tensors, Map<String, String> metadata) throws IOException {
        AtomicFile.write(file, encode(tensors, metadata));
    }

    /** The bytes {@link #write} would write. */
    public static byte[] toBytes(List<TensorData> tensors, Map<String, String> metadata) {
        ByteBuffer[] parts = encode(tensors, metadata);
        long total = 0;
        for (ByteBuffer b : parts) total += b.remaining();
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(total + " bytes do not fit a byte[]");
        ByteBuffer all = ByteBuffer.allocate((int) total);
        for (ByteBuffer b : parts) all.put(b);
        return all.array();
    }

    /** The length prefix with the padded header, then each tensor's data in chunks of at most CHUNK_BYTES. */
    static ByteBuffer[] encode(List<TensorData> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        // The Python writer puts __metadata__ first, then tensors in byte order; matching it makes files identical.
        if (metadata != null && !metadata.isEmpty()) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("safetensors metadata must map strings to strings, found "
                            + e.getKey() + " -> " + e.getValue());
                }
            }
            header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (TensorData t : tensors) {
            if (t.name().equals(METADATA_KEY) || header.containsKey(t.name())) {
                throw new IllegalArgumentException("tensor name " + Json.write(t.name()) + " is "
                        + (t.name().equals(METADATA_KEY) ? "reserved for metadata" : "used twice")
                        + "; safetensors names must be unique");
            }
            long bytes = (long) t.size() * (t.isFloat() ? 4 : 8);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.isFloat() ? "F32" : "I64");
            info.put("shape", Arrays.stream(t.shape()).mapToObj(d -> (Object) (long) d).toList());
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(t.name(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (int) ((json.length + (long) ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header of " + padded + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES + "; readers would refuse it");
        }
        ByteBuffer head = ByteBuffer.allocate(LENGTH_BYTES + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(head);
        for (TensorData t : tensors) {
            int elementBytes = t.isFloat() ? 4 : 8;
            int perChunk = CHUNK_BYTES / elementBytes;
            for (int at = 0; at < t.size(); at += perChunk) {
                int n = Math.min(perChunk, t.size() - at);
                ByteBuffer b = ByteBuffer.allocate(n * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
                // A view's put leaves b's position at 0 and its limit at capacity: ready to write.
                if (t.isFloat()) b.asFloatBuffer().put(t.floats(), at, n);
                else b.asLongBuffer().put(t.longs(), at, n);
                parts.add(b);
            }
        }
        return parts.toArray(ByteBuffer[]::new);
    }
}
