/**
 * Sensor ingest: a {@link org.edgetrain.ingest.Source} produces samples (a timestamp and a fixed number of channels)
 * on its own thread ({@link org.edgetrain.ingest.SourceRunner}) into a preallocated single-producer/single-consumer
 * {@link org.edgetrain.ingest.RingBuffer}; {@link org.edgetrain.ingest.IngestPipeline} drains it through the
 * preprocessing steps into training rows without allocating.
 *
 * <p>Subpackages: {@code sim} (the simulated vibration sensor), {@code files} (CSV and stdin), {@code preprocess}
 * (missing values, outliers, standardization, windows) and {@code sensors} (Pi4J drivers, loaded only when a hardware
 * source is configured).
 */
package org.edgetrain.ingest;
