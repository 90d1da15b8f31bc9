package org.edgetrain.memory;

/**
 * One named piece of the arena: requested with its size while planning, given its offset when the plan is built.
 * Layers copy the offset into an int field when they bind, so the hot path reads no objects.
 */
public final class Slot {
    final ElementType type;
    final Region region;
    final String owner;
    final String what;
    final int floats;
    int offset = -1;

    Slot(ElementType type, Region region, String owner, String what, int floats) {
        this.type = type;
        this.region = region;
        this.owner = owner;
        this.what = what;
        this.floats = floats;
    }

    public Region region() {
        return region;
    }

    public String owner() {
        return owner;
    }

    public String what() {
        return what;
    }

    /** Elements (floats for an fp32 slot). */
    public int floats() {
        return floats;
    }

    /** What each element is; the offset counts elements of this type's block. */
    public ElementType type() {
        return type;
    }

    /** Offset in elements from the start of its type's block of the arena; fails loudly if the plan is not built yet. */
    public int offset() {
        if (offset < 0) throw new IllegalStateException("slot " + owner + " " + what + " used before the plan was built");
        return offset;
    }
}
