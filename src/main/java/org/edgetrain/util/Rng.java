package org.edgetrain.util;

/**
 * A seeded xoshiro128** generator: small state, no allocation, and the same stream on every JVM and board.
 *
 * <p>java.util.Random would also be reproducible, but its state cannot be saved into a checkpoint; this one is four
 * ints. Gaussian draws use {@link StrictMath} so that initialization is bit-identical across machines.
 */
public final class Rng {
    private int s0, s1, s2, s3;

    /** A generator whose stream is fixed by {@code seed}; the seed is spread by SplitMix64 so that 0 works. */
    public Rng(long seed) {
        long z = seed;
        long a = splitMix(z += 0x9E3779B97F4A7C15L);
        long b = splitMix(z + 0x9E3779B97F4A7C15L);
        s0 = (int) a;
        s1 = (int) (a >>> 32);
        s2 = (int) b;
        s3 = (int) (b >>> 32);
        if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
    }

    /** An independent stream derived from a seed and a purpose, so that e.g. dropout does not shift initialization. */
    public static Rng stream(long seed, String purpose) {
        long h = 1125899906842597L;
        for (int i = 0; i < purpose.length(); i++) h = 31 * h + purpose.charAt(i);
        return new Rng(seed ^ splitMix(h));
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public int nextInt() {
        int result = Integer.rotateLeft(s1 * 5, 7) * 9;
        int t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Integer.rotateLeft(s3, 11);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long m = (nextInt() & 0xFFFFFFFFL) * bound;
        int low = (int) m;
        if (Integer.compareUnsigned(low, bound) < 0) {
            int threshold = Integer.remainderUnsigned(-bound, bound);
            while (Integer.compareUnsigned(low, threshold) < 0) {
                m = (nextInt() & 0xFFFFFFFFL) * bound;
                low = (int) m;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [0, 1) with 24 bits, exactly representable as a float. */
    public float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 bits. */
    public double nextDouble() {
        long hi = nextInt() >>> 6 & 0x3FFFFFFL;
        long lo = nextInt() >>> 5 & 0x7FFFFFFL;
        return ((hi << 27) | lo) * 0x1.0p-53;
    }

    /** Standard normal by Box-Muller (one draw per call: no cached second value, so the state stays four ints). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** In-place Fisher-Yates shuffle of {@code idx[0..n)}. */
    public void shuffle(int[] idx, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
    }

    /** The four state words, for checkpoints. */
    public int[] state() {
        return new int[] {s0, s1, s2, s3};
    }

    public void setState(int[] s) {
        if (s.length != 4 || (s[0] | s[1] | s[2] | s[3]) == 0) throw new IllegalArgumentException("bad RNG state");
        s0 = s[0];
        s1 = s[1];
        s2 = s[2];
        s3 = s[3];
    }
}
