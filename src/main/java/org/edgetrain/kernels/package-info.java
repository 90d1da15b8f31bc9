/**
 * The numerical kernels behind one interface, {@link org.edgetrain.kernels.Kernels}: the Java reference ({@link org.edgetrain.kernels.JavaKernels}) defines the truth, other implementations must match it.
 */
package org.edgetrain.kernels;
