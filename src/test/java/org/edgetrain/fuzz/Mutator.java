package org.edgetrain.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded byte-level mutations in the AFL style: bit flips, interesting values over 1, 2, 4 and 8 bytes, inserted,
 * deleted and duplicated runs, splices of another seed, and tokens of the formats (config syntax, layer names, JSON,
 * CSV, numbers that overflow). A few are stacked per input. Same seed, same inputs.
 */
final class Mutator {
    private static final byte[][] TOKENS = tokens("residual(", "dense(", ")", "(", "=", "[", "]", "\n", "\n  ", "#", ",", "\r\n", "\"",
            "{", "}", ":", "[model]", "[daemon]", "[source]", "layers = ", "batch = ", "replay = ", "1e400", "-1", "0", "NaN", "inf",
            "2147483647", "4294967296", "-2147483648", "9223372036854775807", "1e-45", "\u0000", "\u00ff", "\ufeff", "\\", "\\n",
            "dense(1000000)", "batchnorm", "dropout(1)", "leaky_relu", "prelu", "softmax", "init=", "\"shape\":", "\"dtype\":\"F32\"",
            "\"data_offsets\":[0,", "__metadata__", "inputs=", "layers=", "huber_delta=", "loss=", "frozen=", "path = ", "columns = ",
            "type = csv", "type = stdin", "rate_hz = ", "window = ", "stride = ", "board = ", "memory_budget = ", "\t", " ");
    private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL,
            1 << 30, Long.MAX_VALUE, Long.MIN_VALUE, 16, 32, 64, 255, 256, 1024, 4096, 65535, 65536};

    private final Random rnd;
    private final List<byte[]> seeds;

    Mutator(long seed, List<byte[]> seeds) {
        this.rnd = new Random(seed);
        this.seeds = seeds;
    }

    private static byte[][] tokens(String... s) {
        byte[][] t = new byte[s.length][];
        for (int i = 0; i < s.length; i++) t[i] = s[i].getBytes(StandardCharsets.UTF_8);
        return t;
    }

    byte[] next() {
        byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
        int stack = 1 << rnd.nextInt(4); // 1, 2, 4 or 8 mutations
        for (int i = 0; i < stack; i++) b = mutate(b);
        return b;
    }

    private byte[] mutate(byte[] b) {
        int n = b.length;
        switch (rnd.nextInt(n == 0 ? 3 : 11)) {
            case 0 -> { return insert(b, n == 0 ? 0 : rnd.nextInt(n + 1), TOKENS[rnd.nextInt(TOKENS.length)]); }
            case 1 -> { // a random run inserted
                byte[] r = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(r);
                return insert(b, n == 0 ? 0 : rnd.nextInt(n + 1), r);
            }
            case 2 -> { // splice: the head of this input, the tail of another seed
                byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                int cut = n == 0 ? 0 : rnd.nextInt(n + 1), from = other.length == 0 ? 0 : rnd.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            case 3, 4 -> { // bit flip
                int i = rnd.nextInt(n);
                b[i] ^= (byte) (1 << rnd.nextInt(8));
                return b;
            }
            case 5 -> { // random byte
                b[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
                return b;
            }
            case 6 -> { // an interesting value, little-endian, 1/2/4/8 bytes
                int width = 1 << rnd.nextInt(4);
                if (n < width) return b;
                int at = rnd.nextInt(n - width + 1);
                long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
                if (rnd.nextBoolean()) v = -v;
                for (int k = 0; k < width; k++) b[at + k] = (byte) (v >>> (8 * k));
                return b;
            }
            case 7 -> { // delete a run
                int at = rnd.nextInt(n), len = 1 + rnd.nextInt(Math.min(n - at, 64));
                byte[] out = new byte[n - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, n - at - len);
                return out;
            }
            case 8 -> { // duplicate a run, sometimes many times (deep nesting, long lines)
                int at = rnd.nextInt(n), len = 1 + rnd.nextInt(Math.min(n - at, 32));
                int times = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(2000) : 1 + rnd.nextInt(4);
                byte[] run = Arrays.copyOfRange(b, at, at + len);
                byte[] rep = new byte[run.length * times];
                for (int k = 0; k < times; k++) System.arraycopy(run, 0, rep, k * run.length, run.length);
                return insert(b, at, rep);
            }
            case 9 -> { // an ASCII digit changed: numbers in text formats
                int i = rnd.nextInt(n);
                if (b[i] >= '0' && b[i] <= '9') b[i] = (byte) ('0' + rnd.nextInt(10));
                else b[i] = (byte) "0123456789.-e+".charAt(rnd.nextInt(14));
                return b;
            }
            default -> { // truncate
                return Arrays.copyOf(b, rnd.nextInt(n + 1));
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        if (b.length + what.length > 1 << 22) return b; // keep inputs below 4 MB
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
