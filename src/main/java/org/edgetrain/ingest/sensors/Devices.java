package org.edgetrain.ingest.sensors;

/** What the sensor drivers share about their Pi4J devices. */
final class Devices {
    private Devices() {
    }

    /** Closes a Pi4J device, ignoring failures (it is being released anyway). */
    static void closeQuietly(Object io) {
        if (io instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing to do: the device is being released
            }
        }
    }
}
