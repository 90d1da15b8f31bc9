/**
 * The config file: syntax ({@link org.edgetrain.config.ConfigFile}), meaning with checked keys ({@link org.edgetrain.config.RunConfig}) and the layers language ({@link org.edgetrain.nn.LayerParser}).
 */
package org.edgetrain.config;
