package org.edgetrain.cli;

import org.edgetrain.log.Log;

/**
 * SIGTERM and SIGINT as a stop request, so the daemon exits 0 after its final checkpoint (a JVM shutdown hook would
 * exit 143 and race the checkpoint). Uses {@code sun.misc.Signal} from the jdk.unsupported module, present in OpenJDK
 * 17, 21 and 25; where it is missing, a shutdown hook asks for the stop instead (systemd's SuccessExitStatus=143
 * covers that exit code).
 */
final class Signals {
    private Signals() {
    }

    /**
     * Ignores SIGHUP. A service started by systemd leads its own session without a terminal, so opening a serial
     * port makes it that session's controlling terminal, and unplugging the adapter would then hang the daemon up.
     */
    static void ignoreHangup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
        } catch (RuntimeException | LinkageError e) {
            Log.warn("cannot ignore SIGHUP ({}); unplugging the serial adapter may stop the daemon", e.toString());
        }
    }

    static void onStop(Runnable stop) {
        boolean[] done = {false};
        Runnable once = () -> {
            synchronized (done) {
                if (done[0]) return;
                done[0] = true;
            }
            stop.run();
        };
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> once.run());
            }
        } catch (RuntimeException | LinkageError e) {
            Log.warn("cannot handle signals ({}); a shutdown hook will request the stop", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(once, "edgetrain-stop"));
        }
    }
}
