package org.edgetrain.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.edgetrain.util.ChunkedIo;
import org.edgetrain.util.StateSections;

/**
 * A daemon checkpoint: everything needed to resume training exactly, as named sections of floats, longs and ints plus
 * key=value metadata, in the same container as the model file (magic, version, payload length, CRC32 of the payload),
 * written atomically.
 *
 * <pre>
 *  0   8  magic "EDGECKP\x1a"      8  4  version      12  4  section count
 *  16  8  payload length N         24 4  CRC32        28  4  reserved
 *  32  N  sections: u8 kind (0 meta, 1 f32, 2 i64, 3 i32), u16 name length, name, u32 count, data
 * </pre>
 */
public final class Checkpoint implements StateSections {
    public static final byte[] MAGIC = {'E', 'D', 'G', 'E', 'C', 'K', 'P', 0x1a};
    public static final int VERSION = 1;
    private static final int HEADER = 32;
    /** kind, name length, count: the smallest a section can be. */
    private static final int SECTION_HEADER_MIN = 7;

    private final Map<String, String> meta = new LinkedHashMap<>();
    private final Map<String, float[]> floats = new LinkedHashMap<>();
    private final Map<String, long[]> longs = new LinkedHashMap<>();
    private final Map<String, int[]> ints = new LinkedHashMap<>();
    private String source = "checkpoint";

    public Checkpoint meta(String key, String value) {
        meta.put(key, value);
        return this;
    }

    @Override
    public Checkpoint floats(String name, float[] v) {
        floats.put(name, v);
        return this;
    }

    @Override
    public Checkpoint longs(String name, long[] v) {
        longs.put(name, v);
        return this;
    }

    @Override
    public Checkpoint ints(String name, int[] v) {
        ints.put(name, v);
        return this;
    }

    /** Doubles, stored bit for bit in a long section. */
    public Checkpoint doubles(String name, double[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = Double.doubleToRawLongBits(v[i]);
        return longs(name, l);
    }

    public double[] doubles(String name) {
        long[] l = longs(name);
        double[] v = new double[l.length];
        for (int i = 0; i < v.length; i++) v[i] = Double.longBitsToDouble(l[i]);
        return v;
    }

    public String meta(String key) {
        return meta.get(key);
    }

    public Map<String, String> meta() {
        return meta;
    }

    /** A float section, or a {@link FormatException} naming the file if it is missing. */
    @Override
    public float[] floats(String name) {
        return require(floats.get(name), name);
    }

    @Override
    public long[] longs(String name) {
        return require(longs.get(name), name);
    }

    @Override
    public int[] ints(String name) {
        return require(ints.get(name), name);
    }

    /**
     * Each numeric section's name with its kind and length ({@code f32[96]}, {@code i64[4]}, {@code i32[4]}): two
     * checkpoints of the same config have the same layout, so a loaded one is checked against a fresh one.
     */
    public Map<String, String> layout() {
        Map<String, String> out = new java.util.TreeMap<>();
        floats.forEach((k, v) -> out.put(k, "f32[" + v.length + "]"));
        longs.forEach((k, v) -> out.put(k, "i64[" + v.length + "]"));
        ints.forEach((k, v) -> out.put(k, "i32[" + v.length + "]"));
        return out;
    }

    @Override
    public boolean has(String name) {
        return floats.containsKey(name) || longs.containsKey(name) || ints.containsKey(name);
    }

    private <T> T require(T v, String name) {
        if (v == null) throw new org.edgetrain.BadInputException(source + ": checkpoint has no section '" + name + "'");
        return v;
    }

    /** Whether every float section is finite (a checkpoint of a broken model is never written). */
    public boolean allFinite() {
        for (float[] f : floats.values()) for (float v : f) if (!Float.isFinite(v)) return false;
        return true;
    }

    /**
     * Writes the checkpoint, streamed through one 64 KiB buffer: the sections are read from their arrays as they go
     * out, and the header with the payload's CRC goes in last, at the file's start. Building the whole payload first
     * allocated a buffer the checkpoint's size (1.8 MB for the packaged daemon) straight into the old generation, which
     * then stayed committed, resident, for the daemon's life.
     */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, new Streamed());
    }

    private final class Streamed implements AtomicFile.Contents {
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32 crc = new CRC32();
        private FileChannel ch;
        private long size;

        @Override
        public void writeTo(FileChannel channel) throws IOException {
            ch = channel;
            ch.position(HEADER);
            for (Map.Entry<String, String> e : meta.entrySet()) {
                byte[] v = utf8(e.getValue());
                section(0, e.getKey(), v.length);
                bytes(v);
            }
            for (Map.Entry<String, float[]> e : floats.entrySet()) {
                section(1, e.getKey(), e.getValue().length);
                for (float f : e.getValue()) room(4).putFloat(f);
            }
            for (Map.Entry<String, long[]> e : longs.entrySet()) {
                section(2, e.getKey(), e.getValue().length);
                for (long l : e.getValue()) room(8).putLong(l);
            }
            for (Map.Entry<String, int[]> e : ints.entrySet()) {
                section(3, e.getKey(), e.getValue().length);
                for (int i : e.getValue()) room(4).putInt(i);
            }
            flush();
            int sections = meta.size() + floats.size() + longs.size() + ints.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC).putInt(VERSION).putInt(sections).putLong(size).putInt((int) crc.getValue()).putInt(0).flip();
            ch.position(0);
            ChunkedIo.writeFully(ch, h);
        }

        /** kind, name length, name, count. */
        private void section(int kind, String name, int count) throws IOException {
            byte[] n = utf8(name);
            room(3).put((byte) kind).putShort((short) n.length);
            bytes(n);
            room(4).putInt(count);
        }

        /** Byte by byte, so a name or meta value longer than the buffer goes out in pieces like the arrays do. */
        private void bytes(byte[] v) throws IOException {
            for (byte x : v) room(1).put(x);
        }

        private ByteBuffer room(int bytes) throws IOException {
            if (buf.remaining() < bytes) flush();
            return buf;
        }

        private void flush() throws IOException {
            crc.update(buf.array(), 0, buf.position());
            size += buf.position();
            buf.flip();
            ChunkedIo.writeFully(ch, buf);
            buf.clear();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads and verifies a checkpoint; any damage is a {@link FormatException} naming the file and what is wrong. */
    public static Checkpoint read(Path file) throws IOException {
        byte[] all = org.edgetrain.util.ChunkedIo.readAllBytes(file);
        Path f = file;
        if (all.length < HEADER) throw new FormatException(f, "truncated: " + all.length + " bytes, a checkpoint header is " + HEADER);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) throw new FormatException(f, "not an edgetrain checkpoint (bad magic)");
        }
        int version = b.getInt(8);
        if (version < 1 || version > VERSION) throw new FormatException(f, "checkpoint version " + version + "; this edgetrain reads 1.." + VERSION);
        int sections = b.getInt(12);
        long length = b.getLong(16);
        if (length != all.length - HEADER) {
            throw new FormatException(f, "truncated or padded: payload is " + (all.length - HEADER) + " bytes, the header says " + length);
        }
        CRC32 crc = new CRC32();
        crc.update(all, HEADER, all.length - HEADER);
        int want = b.getInt(24);
        if ((int) crc.getValue() != want) {
            throw new FormatException(f, String.format("corrupted: CRC32 of the payload is %08x, the header says %08x", (int) crc.getValue(), want));
        }
        Checkpoint c = new Checkpoint();
        c.source = file.toString();
        b.position(HEADER);
        // A valid CRC proves only that the bytes are the ones written: every count is checked against the bytes left
        // before anything is allocated (a writer bug or a crafted file must not make this allocate 2^30 sections).
        long payload = all.length - HEADER;
        if (sections < 0 || (long) sections * SECTION_HEADER_MIN > payload) {
            throw new FormatException(f, "section count " + Integer.toUnsignedString(sections) + " does not fit a payload of " + payload + " bytes");
        }
        for (int s = 0; s < sections; s++) {
            if (b.remaining() < SECTION_HEADER_MIN) throw new FormatException(f, "section " + s + " runs past the payload");
            int kind = b.get();
            int nameLength = Short.toUnsignedInt(b.getShort());
            if (nameLength > b.remaining() - 4) throw new FormatException(f, "section " + s + ": name of " + nameLength + " bytes runs past the payload");
            byte[] n = new byte[nameLength];
            b.get(n);
            String name = new String(n, StandardCharsets.UTF_8);
            long count = Integer.toUnsignedLong(b.getInt());
            int width = switch (kind) {
                case 0, 1, 3 -> kind == 0 ? 1 : 4;
                case 2 -> 8;
                default -> throw new FormatException(f, "section " + s + " " + org.edgetrain.util.Untrusted.quote(name) + ": unknown section kind " + kind + "; allowed: 0..3");
            };
            if (count * width > b.remaining()) {
                throw new FormatException(f, "section " + org.edgetrain.util.Untrusted.quote(name) + ": " + count + " values of " + width + " bytes run past the payload ("
                        + b.remaining() + " bytes left)");
            }
            int m = (int) count;
            if (c.has(name) || c.meta.containsKey(name)) throw new FormatException(f, "section " + org.edgetrain.util.Untrusted.quote(name) + " appears twice");
            switch (kind) {
                case 0 -> {
                    byte[] v = new byte[m];
                    b.get(v);
                    c.meta.put(name, new String(v, StandardCharsets.UTF_8));
                }
                case 1 -> {
                    float[] v = new float[m];
                    for (int i = 0; i < m; i++) v[i] = b.getFloat();
                    c.floats.put(name, v);
                }
                case 2 -> {
                    long[] v = new long[m];
                    for (int i = 0; i < m; i++) v[i] = b.getLong();
                    c.longs.put(name, v);
                }
                default -> {
                    int[] v = new int[m];
                    for (int i = 0; i < m; i++) v[i] = b.getInt();
                    c.ints.put(name, v);
                }
            }
        }
        if (b.hasRemaining()) throw new FormatException(f, b.remaining() + " bytes after the last of " + sections + " sections");
        return c;
    }
}
