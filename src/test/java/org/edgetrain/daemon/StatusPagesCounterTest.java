package org.edgetrain.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgetrain_status_pages_total}: how scripts/bench-status-page.sh tells that its browser really polled. */
class StatusPagesCounterTest {
    @TempDir Path dir;

    @Test
    void everyPageMadeIsCountedInTheMetrics() {
        Metrics metrics = new Metrics();
        StatusPage page = new StatusPage(metrics, new StatusHistory(), new CheckpointStore(dir.resolve("checkpoints"), 3), "test");
        assertTrue(metrics.prometheus().contains("\nedgetrain_status_pages_total 0\n"), metrics.prometheus());
        page.render("");
        page.render("refresh=1");
        page.render("refresh=0");
        assertEquals(3, metrics.statusPages);
        assertTrue(metrics.prometheus().contains("\nedgetrain_status_pages_total 3\n"));
    }
}
