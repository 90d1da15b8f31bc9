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
        Once once = new Once(stop);
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), new Handler(once));
            }
        } catch (RuntimeException | LinkageError e) {
            Log.warn("cannot handle signals ({}); a shutdown hook will request the stop", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(once, "edgetrain-stop"));
        }
    }

    /*
     * Classes, not lambdas: the daemon's path bootstraps no lambda (DaemonClassLoadTest). Handler is its own class so
     * that a JVM without jdk.unsupported fails on it inside the try above, not on loading Once.
     */

    /** Runs the stop once, whichever signal (or the shutdown hook) comes first. */
    private static final class Once implements Runnable {
        private final Runnable stop;
        private boolean done;

        Once(Runnable stop) {
            this.stop = stop;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (done) return;
                done = true;
            }
            stop.run();
        }
    }

    private static final class Handler implements sun.misc.SignalHandler {
        private final Runnable once;

        Handler(Runnable once) {
            this.once = once;
        }

        @Override
        public void handle(sun.misc.Signal s) {
            once.run();
        }
    }
}
