package org.edgetrain.daemon;

import java.io.IOException;
import java.nio.file.Path;
import org.edgetrain.log.Log;

/**
 * A failed checkpoint write (a full disk, an I/O error) does not end the daemon: training goes on, the older checkpoints
 * stay, the write is tried again at the next interval, and the log gets one warning per burst of failures (with the
 * file) and one line when writing works again, not one per attempt.
 */
final class CheckpointRetry {
    /** A checkpoint write that may fail. */
    interface Write {
        Path run() throws IOException;
    }

    private long failures;

    /** @return the file written, or null when the write failed (or wrote nothing) */
    Path attempt(Write write, Path file) {
        try {
            Path f = write.run();
            if (failures > 0 && f != null) {
                Log.info("checkpoint {} written again after {} failed attempt{}", f, failures, failures == 1 ? "" : "s");
                failures = 0;
            }
            return f;
        } catch (IOException e) {
            if (failures++ == 0) {
                Log.warn("checkpoint {} not written: {}; training goes on, the previous checkpoints stay, retrying at each interval "
                        + "(further failures are not logged until one succeeds)", file, e.getMessage());
            }
            return null;
        }
    }

    /** Failed attempts since the last checkpoint written. */
    long failures() {
        return failures;
    }
}
