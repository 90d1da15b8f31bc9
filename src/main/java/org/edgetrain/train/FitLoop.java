package org.edgetrain.train;

import java.util.function.Consumer;
import org.edgetrain.loss.LossKind;

/**
 * The one epoch loop, for every precision: shuffle, step over the batches, evaluate, report. The epoch's loss and
 * accuracy are over the rows of the steps that counted (a step the guard undid counts for nothing), so the same data
 * gives the same report whether the step is fp32 or int16.
 */
public final class FitLoop {
    /** Steps between gradient-norm measurements when clipping does not need the norm every step (both precisions). */
    public static final int NORM_EVERY = 16;

    private FitLoop() {
    }

    /**
     * Trains for the spec's epochs over {@code train} (standardized), evaluating {@code validation} (may be null)
     * after each epoch and handing a report to {@code progress}.
     */
    public static void fit(Step s, Dataset train, Dataset validation, Consumer<EpochReport> progress) {
        int n = train.rows();
        if (n == 0) throw new IllegalArgumentException(train.source() + ": no rows to train on");
        if (train.features() != s.inputWidth()) {
            throw new IllegalArgumentException(train.source() + ": " + train.features() + " feature columns, the network has "
                    + s.inputWidth() + " inputs");
        }
        if (train.targetWidth() != s.targetWidth()) {
            throw new IllegalArgumentException(train.source() + ": " + train.targetWidth() + " target columns, the loss needs "
                    + s.targetWidth());
        }
        TrainingSpec spec = s.spec();
        int batch = spec.batch();
        long stepsPerEpoch = (n + batch - 1) / batch;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        boolean classification = spec.loss().isClassification();
        int labelsPerRow = spec.loss() == LossKind.BCE ? s.targetWidth() : 1;
        if (s.schedule().totalSteps() == 0) s.setSchedule(s.schedule().withTotalSteps(s.steps() + stepsPerEpoch * spec.epochs()));
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            if (spec.shuffle()) s.shuffleRng().shuffle(order, n);
            long t0 = System.nanoTime();
            double lossSum = 0;
            long lossRows = 0;
            long correct = 0;
            double normSum = 0;
            int norms = 0;
            for (int from = 0; from < n; from += batch) {
                int rows = Math.min(batch, n - from);
                float l = s.step(train.x(), train.y(), order, from, rows);
                if (s.lastStepRolledBack()) continue; // a step the guard undid counts for nothing
                lossSum += (double) l * rows;
                lossRows += rows;
                correct += s.lastCorrect();
                if (s.lastStepMeasuredNorm()) {
                    normSum += s.lastGradNorm();
                    norms++;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluation val = validation == null ? null : s.evaluate(validation);
            double trainLoss = lossRows == 0 ? Double.NaN : lossSum / lossRows;
            s.health().observeEpoch(epoch, trainLoss, val == null ? Double.NaN : val.loss());
            progress.accept(new EpochReport(epoch, spec.epochs(), trainLoss,
                    classification && lossRows > 0 ? (double) correct / (lossRows * labelsPerRow) : Double.NaN, val,
                    s.lastLearningRate(), norms == 0 ? Double.NaN : normSum / norms, n / seconds, s.steps(), s.epochNote()));
        }
    }
}
