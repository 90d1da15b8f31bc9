package org.edgetrain.memory;

/**
 * What one element of an arena slot is: fp32 for the float engine, int16 and int32 for fixed point. Each type has its
 * own block in the {@link Arena} ({@code float[]}, {@code short[]}, {@code int[]}), laid out by the same
 * {@link MemoryPlan}, and every slot starts on a 16-byte boundary (one NEON register) of its block.
 */
public enum ElementType {
    F32("fp32", 4),
    I16("int16", 2),
    I32("int32", 4);

    private final String label;
    private final int bytes;

    ElementType(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** {@code fp32}, {@code int16}, {@code int32}. */
    public String label() {
        return label;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Elements per 16-byte alignment unit. */
    public int alignElements() {
        return 16 / bytes;
    }
}
