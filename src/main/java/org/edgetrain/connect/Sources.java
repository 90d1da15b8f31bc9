package org.edgetrain.connect;

import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.IngestPipeline;
import org.edgetrain.ingest.Source;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.files.CsvSource;
import org.edgetrain.ingest.files.StdinSource;
import org.edgetrain.ingest.sim.SimulatedSensor;

/**
 * Builds the source and the pipeline a config describes. Hardware sources go through {@link Hardware},
 * which is referenced only in that branch, so Pi4J's classes load only when a sensor is configured. It lives in
 * {@code connect}, above both {@code config} and {@code ingest}, so that ingest's sources never read a config.
 */
public final class Sources {
    private Sources() {
    }

    /** The source {@code cfg} describes; a CSV file's header is checked now, so a wrong column fails at start. */
    public static Source open(SourceConfig cfg, SourceStats stats) {
        return switch (cfg.type()) {
            case SIM -> new SimulatedSensor(cfg.simChannels(), cfg.seed(), cfg.anomalyRate(), cfg.noise(), cfg.rateHz());
            case CSV -> {
                if (!cfg.follow() || java.nio.file.Files.exists(cfg.path())) CsvSource.checkHeader(cfg.path(), cfg.columns());
                yield new CsvSource(cfg.path(), cfg.columns(), cfg.follow(), stats);
            }
            case STDIN -> new StdinSource(System.in, cfg.columns(), stats);
            case MQTT, SERIAL -> throw new IllegalArgumentException(cfg.type().word() + " sources open through Connect.pipeline");
            default -> hardware(cfg);
        };
    }

    private static Source hardware(SourceConfig cfg) {
        return Hardware.open(cfg);
    }

    /** The source and its pipeline (not started: call {@link IngestPipeline#start()}). */
    public static IngestPipeline pipeline(SourceConfig cfg) {
        SourceStats stats = new SourceStats();
        Source s = open(cfg, stats);
        return new IngestPipeline(s, cfg.settings(s.channelNames()), stats);
    }
}
