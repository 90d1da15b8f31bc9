/**
 * The command line: one entry point ({@link org.edgetrain.cli.Main}) and one class per command.
 */
package org.edgetrain.cli;
