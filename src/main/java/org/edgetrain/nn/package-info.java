/**
 * Networks: {@link org.edgetrain.nn.NetworkSpec} describes one (layers numbered like a PyTorch nn.Sequential); {@link org.edgetrain.nn.Network} plans it into an arena and runs forward and backward without allocating.
 */
package org.edgetrain.nn;
