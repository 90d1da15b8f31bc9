package org.edgetrain.memory;

/**
 * One named piece of the arena: requested with its size while planning, given its offset when the plan is built.
 * Layers copy the offset into an int field when they bind, so the hot path reads no objects.
 */
public final class Slot {
    final Region region;
    final String owner;
    final String what;
    final int floats;
    int offset = -1;

    Slot(Region region, String owner, String what, int floats) {
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

    public int floats() {
        return floats;
    }

    /** Offset in floats from the start of the arena; fails loudly if the plan is not built yet. */
    public int offset() {
        if (offset < 0) throw new IllegalStateException("slot " + owner + " " + what + " used before the plan was built");
        return offset;
    }
}
