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
    /** The most elements one block (a Java array) can hold, a little below {@code Integer.MAX_VALUE}. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private final List<Slot> slots;
    private final Map<ElementType, Map<Region, int[]>> extent; // type -> region -> {base, elements}
    private final Map<ElementType, Integer> totals; // elements per type's block
    private final int totalFloats;
    private final String title;

    private MemoryPlan(String title, List<Slot> slots, Map<ElementType, Map<Region, int[]>> extent, Map<ElementType, Integer> totals) {
        this.title = title;
        this.slots = Collections.unmodifiableList(slots);
        this.extent = extent;
        this.totals = totals;
        this.totalFloats = totals.getOrDefault(ElementType.F32, 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A size computed in {@code long}, refused with the numbers when one block cannot hold it. */
    public static int checked(String owner, String what, long elements) {
        if (elements < 0 || elements > MAX_ELEMENTS) {
            throw new org.edgetrain.BadInputException(String.format(Locale.ROOT, "the model does not fit: %s %s needs %s elements, "
                    + "one block holds at most %s; lower the batch or the layer's width", owner.matches("\\d+") ? "layer " + owner : owner, what,
                    group(elements), group(MAX_ELEMENTS)));
        }
        return (int) elements;
    }

    /** The product of dimensions in {@code long}; saturates at {@code Long.MAX_VALUE} so {@link #checked} refuses it. */
    public static long product(int... dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) return -1;
            n = d != 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    static int align(int floats) {
        return (floats + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
    }

    static int align(int elements, ElementType t) {
        int u = t.alignElements();
        return (elements + u - 1) / u * u;
    }

    /** The title given to the builder (what was planned), or null. */
    public String title() {
        return title;
    }

    /** Total floats of the fp32 block, padding included. */
    public int totalFloats() {
        return totalFloats;
    }

    /** Elements of one type's block, padding included (0 when the plan has none of that type). */
    public int totalElements(ElementType t) {
        return totals.getOrDefault(t, 0);
    }

    /** Total bytes of the arena: every type's block. */
    public long totalBytes() {
        long b = 0;
        for (Map.Entry<ElementType, Integer> e : totals.entrySet()) b += (long) e.getKey().bytes() * e.getValue();
        return b;
    }

    /** Offset of a region's first element in one type's block. */
    public int regionBase(ElementType t, Region r) {
        int[] e = extent.getOrDefault(t, Map.of()).get(r);
        return e == null ? totalElements(t) : e[0];
    }

    /** Elements a region spans in one type's block, padding included. */
    public int regionElements(ElementType t, Region r) {
        int[] e = extent.getOrDefault(t, Map.of()).get(r);
        return e == null ? 0 : e[1];
    }

    /** Bytes a region spans over every type's block. */
    public long regionBytes(Region r) {
        long b = 0;
        for (ElementType t : ElementType.values()) b += (long) t.bytes() * regionElements(t, r);
        return b;
    }

    public List<Slot> slots() {
        return slots;
    }

    /** Offset of a region's first float in the fp32 block. */
    public int regionBase(Region r) {
        return regionBase(ElementType.F32, r);
    }

    /** Floats a region spans in the fp32 block, padding included. */
    public int regionFloats(Region r) {
        return regionElements(ElementType.F32, r);
    }

    /**
     * Where the fp32 state a training step changes lives: parameters, frozen parameters and running statistics, which
     * the layout puts back to back (one range), then the optimizer state. The guard's snapshot and a checkpoint copy
     * exactly these two ranges.
     */
    public record PersistentState(int stateBase, int stateFloats, int optimizerBase, int optimizerFloats) {
        public int floats() {
            return stateFloats + optimizerFloats;
        }
    }

    /** The two ranges of {@link PersistentState} in this plan. */
    public PersistentState persistentState() {
        int base = -1, floats = 0;
        for (Region r : new Region[] {Region.PARAMETERS, Region.FROZEN_PARAMETERS, Region.BUFFERS}) {
            if (regionFloats(r) == 0) continue;
            if (base < 0) base = regionBase(r);
            floats += regionFloats(r);
        }
        base = Math.max(base, 0);
        if (floats > 0 && base + floats != firstAfter(Region.BUFFERS)) {
            throw new IllegalStateException("parameters and buffers are not contiguous");
        }
        return new PersistentState(base, floats, regionBase(Region.OPTIMIZER_STATE), regionFloats(Region.OPTIMIZER_STATE));
    }

    /** Start of the first non-empty fp32 region after {@code r}, or the end of the block. */
    private int firstAfter(Region r) {
        for (Region next : Region.values()) {
            if (next.ordinal() > r.ordinal() && regionFloats(next) > 0) return regionBase(next);
        }
        return totalElements(ElementType.F32);
    }

    /** The table {@code edgetrain plan} prints: one line per slot, a subtotal per region, and the total. */
    public String format() {
        boolean mixed = totals.keySet().stream().anyMatch(t -> t != ElementType.F32);
        StringBuilder sb = new StringBuilder();
        if (title != null) sb.append(title).append('\n');
        sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", "region", "layer", "tensor", mixed ? "elements" : "floats", "bytes"));
        Region current = null;
        for (Slot s : slots) {
            if (s.region != current) {
                if (current != null) subtotal(sb, current, mixed);
                current = s.region;
            }
            String what = mixed ? s.what + " " + s.type.label() : s.what;
            sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", s.region.label(), s.owner, what,
                    group(s.floats), group((long) s.type.bytes() * s.floats)));
        }
        if (current != null) subtotal(sb, current, mixed);
        long elements = 0;
        for (int n : totals.values()) elements += n;
        sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", "total", "", "(aligned to " + 4 * ALIGN_FLOATS + " bytes)",
                group(mixed ? elements : totalFloats), group(totalBytes())));
        return sb.toString();
    }

    private void subtotal(StringBuilder sb, Region r, boolean mixed) {
        long elements = 0;
        for (ElementType t : ElementType.values()) elements += regionElements(t, r);
        sb.append(String.format(Locale.ROOT, "%-22s %-8s %-34s %10s %12s%n", "", "", "= " + r.label(),
                group(mixed ? elements : regionFloats(r)), group(regionBytes(r))));
    }

    /** A number with thousands separators, e.g. 241,832. */
    public static String group(long n) {
        return org.edgetrain.util.Decimal.grouped(n); // %,d without Formatter (the daemon's start path)
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
            return add(ElementType.F32, region, owner, what, floats);
        }

        /**
         * A slot whose size the caller computed in {@code long} (e.g. batch × width): sizes that do not fit one block
         * are refused with the numbers instead of wrapping around in {@code int}.
         */
        public Slot add(Region region, String owner, String what, long floats) {
            return add(ElementType.F32, region, owner, what, checked(owner, what, floats));
        }

        /** A slot of {@code elements} values of type {@code type}, placed in that type's block. */
        public Slot add(ElementType type, Region region, String owner, String what, int elements) {
            if (elements < 0) throw new IllegalArgumentException("negative size for " + owner + " " + what);
            Slot s = new Slot(type, region, owner, what, elements);
            requested.add(s);
            return s;
        }

        /** Lays out each type's block region by region; slots are listed region by region, types in enum order. */
        public MemoryPlan build() {
            List<Slot> ordered = new ArrayList<>();
            Map<ElementType, Map<Region, int[]>> extent = new EnumMap<>(ElementType.class);
            Map<ElementType, Integer> totals = new EnumMap<>(ElementType.class);
            long[] at = new long[ElementType.values().length];
            for (Region r : Region.values()) {
                for (ElementType t : ElementType.values()) {
                    int base = (int) at[t.ordinal()];
                    boolean any = false;
                    for (Slot s : requested) {
                        if (s.region != r || s.type != t) continue;
                        any = true;
                        s.offset = (int) at[t.ordinal()];
                        at[t.ordinal()] += align(s.floats, t);
                        if (at[t.ordinal()] > MAX_ELEMENTS) {
                            throw new org.edgetrain.BadInputException(String.format(Locale.ROOT, "the model does not fit: its %s block "
                                    + "reaches %s elements at %s %s, one block holds at most %s; lower the batch or the layers' widths",
                                    t.label(), group(at[t.ordinal()]), s.owner, s.what, group(MAX_ELEMENTS)));
                        }
                        ordered.add(s);
                    }
                    if (any) {
                        // get-or-put by hand: computeIfAbsent would take the daemon's only lambda here (DaemonClassLoadTest)
                        Map<Region, int[]> regions = extent.get(t);
                        if (regions == null) extent.put(t, regions = new EnumMap<>(Region.class));
                        regions.put(r, new int[] {base, (int) at[t.ordinal()] - base});
                    }
                }
            }
            for (ElementType t : ElementType.values()) {
                if (at[t.ordinal()] > 0 || t == ElementType.F32) totals.put(t, (int) at[t.ordinal()]);
            }
            return new MemoryPlan(title, ordered, extent, totals);
        }
    }
}
