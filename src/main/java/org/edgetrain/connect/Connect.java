package org.edgetrain.connect;

import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.MqttConfig;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;


/**
 * Builds the pipeline of any {@code source.type}: MQTT and serial here, the rest through {@link Sources}. The MQTT
 * and serial classes are named only inside their branches, so the simulated default never loads Paho.
 */
public final class Connect {
    private Connect() {
    }

    /** The source and its pipeline (not started). {@code file} holds {@code [mqtt]} for an MQTT source. */
    public static IngestPipeline pipeline(SourceConfig cfg, ConfigFile file) {
        if (cfg.type() != SourceConfig.Type.MQTT && cfg.type() != SourceConfig.Type.SERIAL) return Sources.pipeline(cfg);
        SourceStats stats = new SourceStats();
        Source s = cfg.type() == SourceConfig.Type.MQTT ? mqtt(cfg, file, stats) : serial(cfg, stats);
        return new IngestPipeline(s, cfg.settings(s.channelNames()), stats);
    }

    private static Source mqtt(SourceConfig cfg, ConfigFile file, SourceStats stats) {
        return new org.edgetrain.connect.mqtt.MqttSource(MqttConfig.of(file), cfg, stats);
    }

    private static Source serial(SourceConfig cfg, SourceStats stats) {
        return new org.edgetrain.connect.serial.SerialSource(cfg, stats);
    }
}
