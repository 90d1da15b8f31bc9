package org.edgetrain.log;

import java.util.TimeZone;

/**
 * Writes an instant as local time {@code yyyy-MM-dd HH:mm:ss.SSS}, the format the log files always had, or as ISO-8601
 * UTC for metadata. By hand from the zone's offset (daylight saving included): java.time's formatter and zone rules
 * cost the daemon ~60 classes.
 */
public final class Timestamp {
    private final TimeZone zone;

    Timestamp(TimeZone zone) {
        this.zone = zone;
    }

    void append(StringBuilder b, long epochMillis) {
        civil(b, epochMillis + zone.getOffset(epochMillis), ' ');
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, what {@code Instant.toString()} writes for a whole millisecond. */
    public static String isoUtc(long epochMillis) {
        StringBuilder b = new StringBuilder(24);
        civil(b, epochMillis, 'T');
        return b.append('Z').toString();
    }

    private static void civil(StringBuilder b, long local, char between) {
        long days = Math.floorDiv(local, 86_400_000L);
        int msOfDay = (int) Math.floorMod(local, 86_400_000L);
        // civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append(between);
        pad(b, msOfDay / 3_600_000, 2).append(':');
        pad(b, msOfDay / 60_000 % 60, 2).append(':');
        pad(b, msOfDay / 1000 % 60, 2).append('.');
        pad(b, msOfDay % 1000, 3);
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        for (long p = 10, w = 1; w < width; p *= 10, w++) if (v < p) b.append('0');
        return b.append(v);
    }
}
