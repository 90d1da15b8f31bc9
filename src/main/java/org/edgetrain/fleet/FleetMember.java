package org.edgetrain.fleet;

import java.io.IOException;
import java.util.List;
import org.edgetrain.nn.TensorData;

/**
 * What the fleet API needs from a training daemon. Every call may block until the trainer thread has run it between
 * two steps; implementations never touch the weights from the calling (HTTP) thread.
 */
public interface FleetMember {
    /** The member's identity and shape, as the ServerApp checks it before averaging. */
    Description describe() throws IOException;

    /** The trainable tensors (frozen ones and buffers excluded), PyTorch names, fp32. */
    List<TensorData> trainableWeights() throws IOException;

    /**
     * Replaces the trainable tensors (already checked against {@link #describe()}'s names and shapes, all finite),
     * resets the optimizer state and the guard's snapshot, and writes a checkpoint.
     */
    void replaceWeights(List<TensorData> tensors) throws IOException;

    /**
     * Trains on the member's own data: {@code steps} optimizer steps from the replay buffer, or, with {@code windows}
     * > 0, until that many new windows have arrived (stepping as the daemon does), whichever the request asks;
     * gives up waiting for windows after {@code timeoutMillis}. A non-empty {@code correction} (trainable names and
     * shapes, already checked) is SCAFFOLD's drift correction c − c_i: after every step of the round the member moves
     * its weights by −lr·correction, as if each gradient had carried it.
     */
    TrainResult train(long steps, long windows, long timeoutMillis, List<TensorData> correction) throws IOException;

    /** Loss (and accuracy for classification) of the current weights on the held-out slice. */
    EvalResult evaluate() throws IOException;

    /**
     * @param fingerprint a hash of the layers, input width, loss, optimizer and batch: members must agree on it
     * @param precision   {@code fp32} or {@code int16} (weights always travel as fp32)
     * @param trainRows   rows this member trains on (the replay buffer's fill): FedAvg's weight
     * @param holdoutRows rows of the held-out slice
     */
    record Description(String fingerprint, String precision, List<TensorShape> tensors, long trainRows, long holdoutRows,
                       long windows, long steps, String loss) {
    }

    record TensorShape(String name, int[] shape) {
    }

    /**
     * @param loss  mean training loss over the steps taken (NaN if none)
     * @param lrSum the learning rates of those steps added up: SCAFFOLD's K·η, schedules and the guard's cuts included
     */
    record TrainResult(long steps, long windows, double loss, long trainRows, double lrSum) {
    }

    /** @param accuracy NaN for regression */
    record EvalResult(double loss, double accuracy, long rows) {
    }
}
