/**
 * Small shared pieces: the seeded generator and the allocation counter.
 */
package org.edgetrain.util;
