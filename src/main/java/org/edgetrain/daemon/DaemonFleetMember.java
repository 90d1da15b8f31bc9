package org.edgetrain.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.edgetrain.BadInputException;
import org.edgetrain.fleet.FleetConfig;
import org.edgetrain.fleet.FleetMember;
import org.edgetrain.nn.TensorData;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Step;

/**
 * The daemon as a fleet member: each call runs on the trainer thread between two steps (queued to the daemon's
 * loop), so the weights never change under a step. The one place that knows the trainer's insides for the fleet.
 */
final class DaemonFleetMember implements FleetMember {
    private final Daemon d;
    private final long waitMillis;

    DaemonFleetMember(Daemon d, FleetConfig cfg) {
        this.d = d;
        this.waitMillis = cfg.trainTimeoutMillis() + 60_000; // the loop may be mid-checkpoint or mid-round
    }

    private <T> T onTrainerThread(Callable<T> work) throws IOException {
        FutureTask<T> f = new FutureTask<>(work);
        d.submitToTrainer(f);
        try {
            return f.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            throw new IOException(c);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new IOException("the trainer thread did not take the request within " + waitMillis / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Buffers PyTorch keeps beside the parameters (batch norm's statistics): they stay home. */
    private static boolean isBuffer(String name) {
        return name.endsWith(".running_mean") || name.endsWith(".running_var") || name.endsWith(".num_batches_tracked");
    }

    /** The trainable tensors of the step's fp32 view: no buffers, no counters, no frozen layer. */
    private List<TensorData> trainable() {
        Step t = d.trainer();
        java.util.Set<String> frozen = t.networkSpec().frozen();
        List<TensorData> out = new ArrayList<>();
        for (TensorData td : t.exportTensors()) {
            String layer = td.name().substring(0, td.name().lastIndexOf('.'));
            if (td.isFloat() && !isBuffer(td.name()) && !frozen.contains(layer)) out.add(td);
        }
        return out;
    }

    @Override
    public Description describe() throws IOException {
        return onTrainerThread(() -> {
            Step t = d.trainer();
            List<TensorShape> shapes = new ArrayList<>();
            for (TensorData td : trainable()) shapes.add(new TensorShape(td.name(), td.shape()));
            return new Description(d.fleetFingerprint(), t.precision(), shapes, d.replay().size(), d.holdout().rows(), d.windows(), t.steps(),
                    t.spec().loss().configName());
        });
    }

    @Override
    public List<TensorData> trainableWeights() throws IOException {
        return onTrainerThread(this::trainable); // int16 members: dequantized fp32
    }

    @Override
    public void replaceWeights(List<TensorData> tensors) throws IOException {
        onTrainerThread(() -> {
            Step t = d.trainer();
            java.util.Map<String, TensorData> incoming = new java.util.HashMap<>();
            for (TensorData td : tensors) incoming.put(td.name(), td);
            List<TensorData> all = new ArrayList<>();
            for (TensorData td : t.exportTensors()) all.add(incoming.getOrDefault(td.name(), td)); // buffers and frozen stay
            t.importTensors(all, "fleet update"); // also the guard's last good state
            t.restartOptimizer(); // momentum of the old weights would push the new ones off course (fp32 and int16)
            if (t.guard() != null) t.guard().restart();
            d.checkpoint();
            return null;
        });
    }

    @Override
    public TrainResult train(long steps, long windows, long timeoutMillis, List<TensorData> correction) throws IOException {
        if (steps > 0) {
            return onTrainerThread(() -> {
                if (d.replay().size() < d.batch()) {
                    throw new BadInputException("the replay buffer holds " + d.replay().size() + " rows, fewer than one batch of "
                            + d.batch() + "; wait for data");
                }
                startRound(correction);
                try {
                    for (long i = 0; i < steps && !d.stopping(); i++) d.replayStep();
                } finally {
                    d.fleetCorrection = null;
                }
                return result(0);
            });
        }
        long startWindows = onTrainerThread(() -> d.windows());
        CompletableFuture<Void> done = onTrainerThread(() -> {
            startRound(correction);
            d.fleetWindowsLeft = windows;
            d.fleetWindowsDone = new CompletableFuture<>();
            return d.fleetWindowsDone;
        });
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // stop waiting; report what arrived so far
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        return onTrainerThread(() -> {
            d.fleetWindowsLeft = 0;
            d.fleetCorrection = null;
            return result(d.windows() - startWindows);
        });
    }

    /** On the trainer thread: the round's counters from zero, and its drift correction (none: plain FedAvg). */
    private void startRound(List<TensorData> correction) {
        d.fleetSteps = 0;
        d.fleetLossSum = 0;
        d.fleetLrSum = 0;
        d.fleetCorrection = correction == null || correction.isEmpty() ? null : correction;
    }

    private TrainResult result(long windows) {
        return new TrainResult(d.fleetSteps, windows, d.fleetSteps == 0 ? Double.NaN : d.fleetLossSum / d.fleetSteps, d.replay().size(),
                d.fleetLrSum);
    }

    @Override
    public EvalResult evaluate() throws IOException {
        return onTrainerThread(() -> {
            var h = d.holdout();
            if (h.rows() == 0) return new EvalResult(Double.NaN, Double.NaN, 0);
            Evaluation e = d.trainer().evaluate(h);
            return new EvalResult(e.loss(), e.isClassification() ? e.accuracy() : Double.NaN, e.rows());
        });
    }
}
