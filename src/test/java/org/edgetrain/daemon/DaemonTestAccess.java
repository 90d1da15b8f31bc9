package org.edgetrain.daemon;

import org.edgetrain.io.Checkpoint;

/** The trainer's persistent state as floats, to compare two daemons. */
final class DaemonTestAccess {
    private DaemonTestAccess() {
    }

    static float[] weights(Daemon d) {
        Checkpoint c = new Checkpoint();
        d.trainer().saveState(c);
        return c.floats("trainer.state");
    }
}
