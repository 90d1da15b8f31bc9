/**
 * The daemon's fleet API: a loopback HTTP server, off by default and token-protected, through which a Flower ClientApp
 * beside the daemon reads and replaces the trainable weights, asks for local training and evaluation, and reads the
 * member's description. It sees the daemon only through {@link org.edgetrain.fleet.FleetMember}, so changes to the
 * training engine touch the daemon's adapter, not this package. Sits below {@code daemon}, above {@code diagnose}.
 */
package org.edgetrain.fleet;
