package org.edgetrain.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    @Test
    void writesWhatInstantToStringWritesOnEdgesOfDaysMonthsLeapYearsAndFractions() {
        for (String s : new String[] {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z", "1999-12-31T23:59:59.999999999Z",
                "2000-02-29T12:00:00.000001Z", "2024-02-29T23:59:59.5Z", "2100-03-01T00:00:00.000000100Z", "2026-12-02T03:14:01.123456Z",
                "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(s);
            assertEquals(t.toString(), IsoInstant.format(t), s);
        }
        assertEquals(Instant.EPOCH.toString(), IsoInstant.format(Instant.EPOCH));
    }

    @Test
    void writesWhatInstantToStringWritesOnRandomInstants() {
        Random r = new Random(15);
        for (int i = 0; i < 100_000; i++) {
            long sec = (long) (r.nextDouble() * 253_402_300_800L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(sec, nano);
            assertEquals(t.toString(), IsoInstant.format(t));
        }
        Instant now = Instant.now();
        assertEquals(now.toString(), IsoInstant.format(now));
    }
}
