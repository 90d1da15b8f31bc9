package org.edgetrain.io;

import org.edgetrain.nn.TensorData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.edgetrain.BadInputException;
import org.edgetrain.nn.LayerParser;
import org.edgetrain.util.Untrusted;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.NetworkSpec;
import org.edgetrain.train.Standardizer;

/**
 * The edgetrain model file ({@code .etm}): versioned, CRC-checked, written atomically.
 *
 * <pre>
 *  offset  size  field                     (all integers little-endian)
 *  0       8     magic "EDGETRN\x1a"       (\x1a stops a terminal `cat`, like PNG's)
 *  8       4     format version (u32)      readers refuse versions newer than {@link #VERSION}; 1 without TNRM, 2 with
 *  12      4     section count (u32)
 *  16      8     payload length N (u64)    a file shorter or longer than 32 + N is truncated or padded
 *  24      4     CRC32 of the payload      any flipped bit is detected
 *  28      4     reserved, 0
 *  32      N     payload: sections, each
 *                  4   tag (ASCII)         META | COLS | NORM | TENS | TNRM ; unknown tags are skipped
 *                  4   length L (u32)
 *                  L   body
 *
 *  META  key=value lines (UTF-8; \n and \\ escaped): inputs, layers, frozen, loss, huber_delta, info.*
 *  COLS  u32 features, u32 targets, then each name as u16 length + UTF-8
 *  NORM  u32 n, f32 mean[n], f32 std[n]
 *  TNRM  as NORM, for regression targets (version 2; absent: the outputs are in the targets' units)
 *  TENS  u32 count, then each: u16 name length, name, u8 dtype (0 f32, 1 i64), u8 rank, u32 dims[rank], data
 * </pre>
 */
public final class ModelFile {
    public static final byte[] MAGIC = {'E', 'D', 'G', 'E', 'T', 'R', 'N', 0x1a};
    public static final int VERSION = 2;
    /** The version of a file without target standardization: what edgetrain before TNRM reads. */
    static final int VERSION_PLAIN = 1;
    static final int HEADER_BYTES = 32;
    static final int OFF_VERSION = 8;
    static final int OFF_SECTIONS = 12;
    static final int OFF_LENGTH = 16;
    static final int OFF_CRC = 24;
    private static final byte DTYPE_F32 = 0;
    private static final byte DTYPE_I64 = 1;

    private ModelFile() {
    }

    /** Whether a file starts with the model magic (to tell it from a safetensors file). */
    public static boolean looksLikeModel(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(MAGIC.length);
            while (b.hasRemaining() && ch.read(b) >= 0) { }
            return !b.hasRemaining() && java.util.Arrays.equals(b.array(), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    public static void write(Path file, Model m) throws IOException {
        byte[] payload = payload(m);
        CRC32 crc = new CRC32();
        crc.update(payload);
        // standardized targets need a reader that undoes them: an older edgetrain refuses version 2 instead of
        // printing standardized predictions; every other model stays version 1 and readable by it
        boolean targets = !m.targetStandardizer().isIdentity();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(targets ? VERSION : VERSION_PLAIN).putInt(targets ? 5 : 4).putLong(payload.length).putInt((int) crc.getValue()).putInt(0).flip();
        AtomicFile.write(file, header, ByteBuffer.wrap(payload));
    }

    private static byte[] payload(Model m) {
        Out out = new Out();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("inputs", Integer.toString(m.network().inputs()));
        meta.put("layers", m.network().layersText());
        if (m.network().channels() != 1) meta.put("channels", Integer.toString(m.network().channels())); // absent: 1 (older files)
        meta.put("frozen", String.join(",", m.network().frozen()));
        meta.put("loss", m.loss().configName());
        meta.put("huber_delta", Float.toString(m.huberDelta()));
        for (Map.Entry<String, String> e : m.info().entrySet()) meta.put("info." + e.getKey(), e.getValue());
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : meta.entrySet()) sb.append(e.getKey()).append('=').append(escape(e.getValue())).append('\n');
        out.section("META", sb.toString().getBytes(StandardCharsets.UTF_8));

        Out cols = new Out();
        cols.u32(m.features().size()).u32(m.targets().size());
        for (String f : m.features()) cols.str(f);
        for (String t : m.targets()) cols.str(t);
        out.section("COLS", cols.bytes());

        out.section("NORM", norm(m.standardizer()));
        if (!m.targetStandardizer().isIdentity()) out.section("TNRM", norm(m.targetStandardizer()));

        Out tens = new Out();
        tens.u32(m.tensors().size());
        for (TensorData t : m.tensors()) {
            tens.str(t.name());
            tens.u8(t.isFloat() ? DTYPE_F32 : DTYPE_I64).u8(t.shape().length);
            for (int d : t.shape()) tens.u32(d);
            if (t.isFloat()) for (float v : t.floats()) tens.f32(v);
            else for (long v : t.longs()) tens.i64(v);
        }
        out.section("TENS", tens.bytes());
        return out.bytes();
    }

    private static byte[] norm(Standardizer s) {
        Out norm = new Out();
        float[] mean = s.mean(), std = s.std();
        norm.u32(mean.length);
        for (float v : mean) norm.f32(v);
        for (float v : std) norm.f32(v);
        return norm.bytes();
    }

    /** Reads and verifies a model file; any corruption or truncation is a {@link FormatException} naming the file. */
    public static Model read(Path file) throws IOException {
        ByteBuffer all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new FormatException(file, "too short for an edgetrain model (" + size + " bytes, the header alone is " + HEADER_BYTES + ")");
            }
            if (size > Integer.MAX_VALUE) throw new FormatException(file, "larger than 2 GB; not an edgetrain model");
            all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && ch.read(all) >= 0) { }
            all.flip().order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            throw new FormatException(file, "model file not found");
        }
        byte[] magic = new byte[MAGIC.length];
        all.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new FormatException(file, "not an edgetrain model (the file does not start with EDGETRN; a safetensors file goes to --init-from or import)");
        }
        int version = all.getInt(OFF_VERSION);
        if (version < 1 || version > VERSION) {
            throw new FormatException(file, "model format version " + version + "; this edgetrain reads versions 1.." + VERSION);
        }
        long length = all.getLong(OFF_LENGTH);
        long actual = all.limit() - HEADER_BYTES;
        if (length != actual) {
            throw new FormatException(file, (actual < length ? "truncated" : "has trailing bytes") + ": the header promises "
                    + length + " payload bytes, the file holds " + actual);
        }
        CRC32 crc = new CRC32();
        ByteBuffer payload = all.duplicate().position(HEADER_BYTES);
        crc.update(payload);
        int stored = all.getInt(OFF_CRC);
        if ((int) crc.getValue() != stored) {
            throw new FormatException(file, String.format("corrupted: CRC32 of the payload is %08x, the header says %08x", (int) crc.getValue(), stored));
        }
        int sections = all.getInt(OFF_SECTIONS);
        all.position(HEADER_BYTES);
        Map<String, ByteBuffer> bodies = new LinkedHashMap<>();
        for (int i = 0; i < sections; i++) {
            need(all, 8, file, "section header");
            byte[] tag = new byte[4];
            all.get(tag);
            int len = all.getInt();
            need(all, len, file, "section " + new String(tag, StandardCharsets.US_ASCII));
            ByteBuffer body = all.slice(all.position(), len).order(ByteOrder.LITTLE_ENDIAN);
            all.position(all.position() + len);
            bodies.put(new String(tag, StandardCharsets.US_ASCII), body);
        }
        for (String tag : List.of("META", "COLS", "NORM", "TENS")) {
            if (!bodies.containsKey(tag)) throw new FormatException(file, "missing section " + tag);
        }
        try {
            return decode(file, bodies);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new FormatException(file, "a section is shorter than its contents claim");
        }
    }

    private static Model decode(Path file, Map<String, ByteBuffer> bodies) throws FormatException {
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : StandardCharsets.UTF_8.decode(bodies.get("META")).toString().split("\n")) {
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new FormatException(file, "malformed META line " + Untrusted.quote(line) + "; expected key=value");
            meta.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
        }
        for (String k : List.of("inputs", "layers", "frozen", "loss", "huber_delta")) {
            if (!meta.containsKey(k)) throw new FormatException(file, "META lacks '" + k + "'");
        }
        NetworkSpec spec;
        LossKind loss;
        float delta;
        try {
            // a valid CRC says nothing about the values: every one is parsed here, where a failure names the file
            delta = Float.parseFloat(meta.get("huber_delta"));
            if (!(delta > 0) || Float.isInfinite(delta)) throw new FormatException(file, "huber_delta " + Untrusted.quote(meta.get("huber_delta")) + "; allowed: > 0");
            int inputs = Integer.parseInt(meta.get("inputs"));
            LinkedHashSet<String> frozen = new LinkedHashSet<>();
            for (String f : meta.get("frozen").split(",")) if (!f.isEmpty()) frozen.add(f);
            int channels = meta.containsKey("channels") ? Integer.parseInt(meta.get("channels")) : 1;
            spec = new NetworkSpec(inputs, channels, LayerParser.parse(meta.get("layers"), file + ": layers"), frozen);
            loss = LossKind.parse(meta.get("loss"));
            if (loss == null) throw new FormatException(file, "unknown loss " + Untrusted.quote(meta.get("loss")));
        } catch (BadInputException | IllegalArgumentException e) {
            throw new FormatException(file, "bad architecture in META: " + Untrusted.quote(String.valueOf(e.getMessage()), 300));
        }
        Map<String, String> info = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith("info.")) info.put(e.getKey().substring(5), e.getValue());
        }

        ByteBuffer cols = bodies.get("COLS");
        int nf = count(cols, file), nt = count(cols, file);
        List<String> featureNames = new ArrayList<>(), targets = new ArrayList<>();
        for (int i = 0; i < nf; i++) featureNames.add(str(cols));
        for (int i = 0; i < nt; i++) targets.add(str(cols));

        Standardizer features = norm(bodies.get("NORM"), file);
        Standardizer targetScale = bodies.containsKey("TNRM") ? norm(bodies.get("TNRM"), file) : null;

        ByteBuffer tens = bodies.get("TENS");
        int count = count(tens, file);
        List<TensorData> tensors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = str(tens);
            byte dtype = tens.get();
            int rank = tens.get() & 0xff;
            int[] shape = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = tens.getInt();
                if (shape[d] < 0) throw new FormatException(file, "tensor " + Untrusted.quote(name) + " has a negative dimension");
                // in long and checked against the bytes left at each step: a product of large dimensions must not wrap
                if (shape[d] != 0 && size > tens.remaining() / shape[d] + 1) size = Long.MAX_VALUE / 16;
                else size *= shape[d];
            }
            int bytesPer = dtype == DTYPE_F32 ? 4 : dtype == DTYPE_I64 ? 8 : -1;
            if (bytesPer < 0) throw new FormatException(file, "tensor " + Untrusted.quote(name) + " has unknown dtype code " + dtype);
            if (size * bytesPer > tens.remaining()) throw new FormatException(file, "tensor " + Untrusted.quote(name) + " runs past its section");
            if (dtype == DTYPE_F32) {
                float[] v = new float[(int) size];
                tens.asFloatBuffer().get(v);
                tens.position(tens.position() + 4 * v.length);
                tensors.add(TensorData.ofFloats(name, shape, v));
            } else {
                long[] v = new long[(int) size];
                tens.asLongBuffer().get(v);
                tens.position(tens.position() + 8 * v.length);
                tensors.add(new TensorData(name, shape, null, v));
            }
        }
        try {
            return new Model(spec, loss, delta, featureNames, targets, features, tensors, info, targetScale);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, e.getMessage());
        }
    }

    private static Standardizer norm(ByteBuffer norm, Path file) throws FormatException {
        int n = count(norm, file);
        float[] mean = new float[n], std = new float[n];
        for (int i = 0; i < n; i++) mean[i] = norm.getFloat();
        for (int i = 0; i < n; i++) std[i] = norm.getFloat();
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(mean[i]) || !(std[i] > 0f) || !Float.isFinite(std[i])) {
                throw new FormatException(file, "standardization column " + i + " has mean " + mean[i] + " and std " + std[i]
                        + "; allowed: finite mean, finite std > 0");
            }
        }
        return new Standardizer(mean, std);
    }

    private static int count(ByteBuffer b, Path file) throws FormatException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) throw new FormatException(file, "implausible count " + n);
        return n;
    }

    private static void need(ByteBuffer b, long n, Path file, String what) throws FormatException {
        if (n < 0 || b.remaining() < n) throw new FormatException(file, what + " runs past the end of the payload");
    }

    private static String str(ByteBuffer b) {
        int len = b.getShort() & 0xffff;
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A little-endian byte sink. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out u32(int v) {
            scratch.clear();
            bytes.write(scratch.putInt(v).array(), 0, 4);
            return this;
        }

        Out i64(long v) {
            scratch.clear();
            bytes.write(scratch.putLong(v).array(), 0, 8);
            return this;
        }

        Out f32(float v) {
            scratch.clear();
            bytes.write(scratch.putFloat(v).array(), 0, 4);
            return this;
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > 0xffff) throw new IllegalArgumentException("name longer than 65535 bytes");
            bytes.write(b.length & 0xff);
            bytes.write(b.length >>> 8);
            bytes.write(b, 0, b.length);
            return this;
        }

        void section(String tag, byte[] body) {
            bytes.write(tag.getBytes(StandardCharsets.US_ASCII), 0, 4);
            u32(body.length);
            bytes.write(body, 0, body.length);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
