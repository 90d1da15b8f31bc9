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
import org.edgetrain.io.TensorData;
import org.edgetrain.nn.Network;
import org.edgetrain.nn.Parameter;
import org.edgetrain.train.Evaluation;
import org.edgetrain.train.Trainer;

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

    private static List<Parameter> trainable(Network net) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : net.state()) if (p.kind() == Parameter.Kind.TRAINABLE) out.add(p);
        return out;
    }

    @Override
    public Description describe() throws IOException {
        return onTrainerThread(() -> {
            Trainer t = d.trainer();
            List<TensorShape> shapes = new ArrayList<>();
            for (Parameter p : trainable(t.network())) shapes.add(new TensorShape(p.name(), p.shape()));
            return new Description(d.fingerprint(), "fp32", shapes, d.replay().size(), d.holdout().rows(), d.windows(), t.steps(),
                    t.spec().loss().configName());
        });
    }

    @Override
    public List<TensorData> trainableWeights() throws IOException {
        return onTrainerThread(() -> {
            float[] a = d.trainer().network().arena();
            List<TensorData> out = new ArrayList<>();
            for (Parameter p : trainable(d.trainer().network())) {
                out.add(TensorData.ofFloats(p.name(), p.shape(), Arrays.copyOfRange(a, p.offset(), p.offset() + p.size())));
            }
            return out;
        });
    }

    @Override
    public void replaceWeights(List<TensorData> tensors) throws IOException {
        onTrainerThread(() -> {
            Trainer t = d.trainer();
            Network net = t.network();
            float[] a = net.arena();
            for (TensorData td : tensors) {
                Parameter p = find(net, td.name());
                System.arraycopy(td.floats(), 0, a, p.offset(), p.size());
            }
            t.optimizer().restart(a, net.trainableFloats()); // momentum of the old weights would push the new ones off
            if (t.guard() != null) t.guard().restart(); // a rollback must land on these weights, not the old ones
            d.checkpoint();
            return null;
        });
    }

    private static Parameter find(Network net, String name) {
        for (Parameter p : net.state()) if (p.name().equals(name)) return p;
        throw new IllegalStateException(name); // WeightCheck passed: cannot happen
    }

    @Override
    public TrainResult train(long steps, long windows, long timeoutMillis) throws IOException {
        if (steps > 0) {
            return onTrainerThread(() -> {
                if (d.replay().size() < d.batch()) {
                    throw new BadInputException("the replay buffer holds " + d.replay().size() + " rows, fewer than one batch of "
                            + d.batch() + "; wait for data");
                }
                d.fleetSteps = 0;
                d.fleetLossSum = 0;
                for (long i = 0; i < steps && !d.stopping(); i++) d.replayStep();
                return new TrainResult(d.fleetSteps, 0, d.fleetSteps == 0 ? Double.NaN : d.fleetLossSum / d.fleetSteps, d.replay().size());
            });
        }
        long startWindows = onTrainerThread(() -> d.windows());
        CompletableFuture<Void> done = onTrainerThread(() -> {
            d.fleetSteps = 0;
            d.fleetLossSum = 0;
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
            return new TrainResult(d.fleetSteps, d.windows() - startWindows, d.fleetSteps == 0 ? Double.NaN : d.fleetLossSum / d.fleetSteps,
                    d.replay().size());
        });
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
