package org.edgetrain.io.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format, encoding only, as much as ONNX needs: varints (wire type 0), 32-bit floats (5) and
 * length-delimited fields (2) for strings, bytes, packed arrays and nested messages. Fields are written in the order
 * called; the reader of an ONNX file does not care.
 */
final class Protobuf {
    private static final int VARINT = 0, LENGTH_DELIMITED = 2, FIXED32 = 5;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int64/int32/enum field. */
    Protobuf varint(int field, long value) {
        tag(field, VARINT);
        raw(value);
        return this;
    }

    /** A float field. */
    Protobuf f32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    Protobuf string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Protobuf bytes(int field, byte[] b) {
        tag(field, LENGTH_DELIMITED);
        raw(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** A nested message. */
    Protobuf message(int field, Protobuf m) {
        return bytes(field, m.toByteArray());
    }

    /** A repeated int64 field, packed (proto3's default encoding). */
    Protobuf packed(int field, long[] values) {
        Protobuf body = new Protobuf();
        for (long v : values) body.raw(v);
        return bytes(field, body.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    /** Base-128 varint, low groups first; negative values take ten bytes as int64 requires. */
    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
