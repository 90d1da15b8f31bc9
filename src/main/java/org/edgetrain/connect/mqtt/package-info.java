/** MQTT through Eclipse Paho's v3 client: {@link org.edgetrain.connect.mqtt.MqttSource} and {@link org.edgetrain.connect.mqtt.MqttOutput}. */
package org.edgetrain.connect.mqtt;
