/**
 * Streaming preprocessing, in place on one sample at a time and without allocation: {@link
 * org.edgetrain.ingest.preprocess.MissingValues} (NaN and infinities), {@link
 * org.edgetrain.ingest.preprocess.OutlierClip}, {@link org.edgetrain.ingest.preprocess.RunningStandardizer} (Welford)
 * and {@link org.edgetrain.ingest.preprocess.Windower} (sliding windows flattened into model inputs), in that order.
 */
package org.edgetrain.ingest.preprocess;
