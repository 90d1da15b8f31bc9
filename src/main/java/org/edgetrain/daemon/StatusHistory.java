package org.edgetrain.daemon;

import org.edgetrain.util.DownsampledSeries;
import org.edgetrain.util.DownsampledSeries.Summary;

/**
 * What the status page plots, for a run of any length in fixed memory: training loss and gradient norm per step, the
 * held-out loss per evaluation, the anomaly score (bucket maximum, so a spike survives downsampling) and threshold per
 * window, and the last {@value #EPISODES} anomaly episodes. Written by the training thread; nothing is allocated per
 * step.
 */
public final class StatusHistory {
    static final int POINTS = 256, EPISODES = 32;

    final DownsampledSeries loss = new DownsampledSeries(POINTS, Summary.MEAN);
    final DownsampledSeries valLoss = new DownsampledSeries(POINTS, Summary.LAST);
    final DownsampledSeries gradNorm = new DownsampledSeries(POINTS, Summary.MEAN);
    final DownsampledSeries score = new DownsampledSeries(POINTS, Summary.MAX);
    final DownsampledSeries threshold = new DownsampledSeries(POINTS, Summary.LAST);
    private final long[] episodeStart = new long[EPISODES], episodeEnd = new long[EPISODES];
    private final double[] episodeMax = new double[EPISODES];
    private long episodes;

    /** One finished anomaly episode: windows {@code from}..{@code to}, its highest score. */
    synchronized void episode(long from, long to, double max) {
        int i = (int) (episodes++ % EPISODES);
        episodeStart[i] = from;
        episodeEnd[i] = to;
        episodeMax[i] = max;
    }

    /** Copies the kept episodes, oldest first, into {@code out} as (from, to, max) triples; returns how many. */
    synchronized int episodes(double[] out) {
        int n = (int) Math.min(episodes, EPISODES);
        for (int k = 0; k < n; k++) {
            int i = (int) ((episodes - n + k) % EPISODES);
            out[3 * k] = episodeStart[i];
            out[3 * k + 1] = episodeEnd[i];
            out[3 * k + 2] = episodeMax[i];
        }
        return n;
    }

    synchronized long episodeCount() {
        return episodes;
    }
}
