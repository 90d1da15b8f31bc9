/**
 * The headless daemon: {@code edgetrain run} trains incrementally from a source through a replay buffer, checkpoints
 * atomically, logs through org.edgetrain.log, serves an optional status endpoint, and stops cleanly on SIGTERM.
 */
package org.edgetrain.daemon;
