/**
 * Small shared pieces: the seeded generator, the allocation counter, a fixed-size downsampling history and an SVG
 * line chart.
 */
package org.edgetrain.util;
