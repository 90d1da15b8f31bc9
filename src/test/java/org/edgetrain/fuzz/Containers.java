package org.edgetrain.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

/**
 * The model file and the checkpoint share one container (32-byte header: magic, version, section count, payload
 * length, CRC32 of the payload). These helpers forge what a writer bug or tampering would leave: a payload whose CRC
 * is right again.
 */
public final class Containers {
    public static final int HEADER = 32;

    private Containers() {
    }

    /** Puts the payload's CRC32 (and its length) into the header. */
    public static byte[] refix(byte[] b) {
        if (b.length < HEADER) return b;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(16, b.length - HEADER);
        CRC32 crc = new CRC32();
        crc.update(b, HEADER, b.length - HEADER);
        bb.putInt(24, (int) crc.getValue());
        return b;
    }

    /** A model file with its META section's text replaced by {@code edit(text)}, lengths and CRC fixed. */
    public static byte[] editModelMeta(byte[] model, UnaryOperator<String> edit) {
        ByteBuffer in = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(model, 0, HEADER);
        int pos = HEADER;
        while (pos + 8 <= model.length) {
            String tag = new String(model, pos, 4, StandardCharsets.US_ASCII);
            int len = in.getInt(pos + 4);
            byte[] body = java.util.Arrays.copyOfRange(model, pos + 8, pos + 8 + len);
            if (tag.equals("META")) body = edit.apply(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            out.write(model, pos, 4);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array(), 0, 4);
            out.write(body, 0, body.length);
            pos += 8 + len;
        }
        return refix(out.toByteArray());
    }
}
