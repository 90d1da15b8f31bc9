/**
 * Connect to where the readings already are: an MQTT broker (source and daemon output, {@code connect.mqtt}) and a
 * serial line ({@code connect.serial}). Sits above {@code config} and {@code ingest}: its sources implement the ingest
 * {@link org.edgetrain.ingest.Source} contract and fill the same ring. Paho's classes load only when MQTT is configured.
 */
package org.edgetrain.connect;
