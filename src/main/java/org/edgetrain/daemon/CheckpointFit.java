package org.edgetrain.daemon;

import java.util.Map;
import java.util.TreeSet;
import org.edgetrain.BadInputException;
import org.edgetrain.io.Checkpoint;

/**
 * Whether a checkpoint whose CRC is valid fits this daemon's config before any of it is applied: the same sections with
 * the same kinds and lengths as a checkpoint of the fresh state, and counters in their ranges. A failure is a
 * {@link BadInputException} naming the section, what was found and what fits; {@link CheckpointStore} then falls back
 * to the previous checkpoint.
 */
final class CheckpointFit {
    private CheckpointFit() {
    }

    /** Every section of {@code fresh} is in {@code loaded} with the same kind and length, and nothing else is. */
    static void requireLayout(Checkpoint fresh, Checkpoint loaded) {
        Map<String, String> want = fresh.layout(), got = loaded.layout();
        if (want.equals(got)) return;
        TreeSet<String> names = new TreeSet<>(want.keySet());
        names.addAll(got.keySet());
        for (String n : names) {
            String w = want.get(n), g = got.get(n);
            if (w != null && w.equals(g)) continue;
            if ((n.startsWith("daemon.replay.") && !n.equals("daemon.replay.rng") || n.equals("ingest.csv.pos")) && (w == null || g == null)) {
                // ingest.csv.pos: a checkpoint from before CSV positions were saved, or a file gone at save time
                continue; // the replay rows are optional (daemon.replay_in_checkpoint); if present they must fit, checked below
            }
            throw new BadInputException("section " + org.edgetrain.util.Untrusted.quote(n) + " is " + (g == null ? "missing" : g)
                    + "; this config's checkpoint has " + (w == null ? "no such section" : w));
        }
        // replay rows present on one side only: all three or none, each of this config's length
        if (got.containsKey("daemon.replay.size")) {
            for (String n : new String[] {"daemon.replay.x", "daemon.replay.y"}) {
                if (!got.containsKey(n) && !got.containsKey(n + ".int16")) {
                    throw new BadInputException("section '" + n + "' is missing while daemon.replay.size is present");
                }
            }
        }
    }

    /** A counter read from a checkpoint lies in {@code min..max}. */
    static void requireRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new BadInputException("checkpoint value " + what + " is " + value + "; allowed " + min + ".." + max);
        }
    }

    /** Values read from a checkpoint are finite. */
    static void requireFinite(String what, double[] values) {
        for (double v : values) if (!Double.isFinite(v)) throw new BadInputException("checkpoint value " + what + " is " + v + "; allowed: finite");
    }
}
