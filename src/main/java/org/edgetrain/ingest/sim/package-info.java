/** A simulated sensor that needs no hardware: the default source of the demo and of the tests. */
package org.edgetrain.ingest.sim;
