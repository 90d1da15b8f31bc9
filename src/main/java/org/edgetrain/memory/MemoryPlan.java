package org.edgetrain.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exact memory of a network, computed before anything is allocated (AIfES's {@code sizeof_*} idea): every layer
 * requests named slots, the plan lays them out region by region, each slot aligned to {@link #ALIGN_FLOATS} floats
 * (one 128-bit NEON register), and reports the total. The arena is then one array of exactly that size.
 *
 * <p>Parameters, gradients and each optimizer-state copy hold the trainable tensors in the same order with the same
 * padding, so {@code grad[i] = arena[gradBase + (i - paramBase)]}: the optimizer step, gradient zeroing and the
 * global norm are each one loop over one block.
 */
public final class MemoryPlan {
    /** Slot alignment in floats: 4 floats = 16 bytes, one NEON q-register. */
    public static final int ALIGN_FLOATS = 4;

    private final List<Slot> slots;
    private final Map<Region, int[]> extent; // region -> {base, floats}
    private final int totalFloats;
    private final String title;

    private MemoryPlan(String title, List<Slot> slots, Map<Region, int[]> extent, int totalFloats) {
        this.title = title;
        this.slots = Collections.unmodifiableList(slots);
        this.extent = extent;
        this.totalFloats = totalFloats;
    }

    public static Builder builder() {
        return new Builder();
    }

    static int align(int floats) {
        return (floats + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
    }

    /** Total floats of the arena, padding included. */
    public int totalFloats() {
        return totalFloats;
    }

    /** Total bytes of the fp32 arena. */
    public long totalBytes() {
        return 4L * totalFloats;
    }

    public List<Slot> slots() {
        return slots;
    }

    /** Offset of a region's first float. */
    public int regionBase(Region r) {
        int[] e = extent.get(r);
        return e == null ? totalFloats : e[0];
    }

    /** Floats a region spans, padding included. */
    public int regionFloats(Region r) {
        int[] e = extent.get(r);
        return e == null ? 0 : e[1];
    }

    /** The table {@code edgetrain plan} prints: one line per slot, a subtotal per region, and the total. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (title != null) sb.append(title).append('\n');
        sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", "region", "layer", "tensor", "floats", "bytes"));
        Region current = null;
        for (Slot s : slots) {
            if (s.region != current) {
                if (current != null) subtotal(sb, current);
                current = s.region;
            }
            sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", s.region.label(), s.owner, s.what,
                    group(s.floats), group(4L * s.floats)));
        }
        if (current != null) subtotal(sb, current);
        sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", "total", "", "(aligned to " + 4 * ALIGN_FLOATS + " bytes)",
                group(totalFloats), group(totalBytes())));
        return sb.toString();
    }

    private void subtotal(StringBuilder sb, Region r) {
        sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", "", "", "= " + r.label(),
                group(regionFloats(r)), group(4L * regionFloats(r))));
    }

    /** A number with thousands separators, e.g. 241,832. */
    public static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Collects slot requests; {@link #build} assigns offsets. */
    public static final class Builder {
        private final List<Slot> requested = new ArrayList<>();
        private String title;

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Slot add(Region region, String owner, String what, int floats) {
            if (floats < 0) throw new IllegalArgumentException("negative size for " + owner + " " + what);
            Slot s = new Slot(region, owner, what, floats);
            requested.add(s);
            return s;
        }

        public MemoryPlan build() {
            List<Slot> ordered = new ArrayList<>();
            Map<Region, int[]> extent = new EnumMap<>(Region.class);
            int at = 0;
            for (Region r : Region.values()) {
                int base = at;
                boolean any = false;
                for (Slot s : requested) {
                    if (s.region != r) continue;
                    any = true;
                    s.offset = at;
                    at += align(s.floats);
                    ordered.add(s);
                }
                if (any) extent.put(r, new int[] {base, at - base});
            }
            return new MemoryPlan(title, ordered, extent, at);
        }
    }
}
