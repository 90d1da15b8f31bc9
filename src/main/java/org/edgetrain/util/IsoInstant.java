package org.edgetrain.util;

import java.time.Instant;

/**
 * {@link Instant#toString()} (ISO-8601 in UTC, {@code 2026-12-02T03:14:01.123456Z}) written by hand for the years
 * 1970 to 9999. The JDK's goes through {@code DateTimeFormatter.ISO_INSTANT}, whose builder loads ~100 java.time
 * classes and bootstraps the lambda machinery (~150 more): too much for the one timestamp the daemon writes into each
 * checkpoint (README, the classes the default daemon loads). Other instants fall back to the JDK.
 */
public final class IsoInstant {
    private static final long LAST_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoInstant() {
    }

    public static String format(Instant t) {
        long s = t.getEpochSecond();
        if (s < 0 || s > LAST_SECOND) return t.toString();
        long days = s / 86_400;
        int secOfDay = (int) (s % 86_400);
        // civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted), in eras of 400 years from 0000-03-01
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(30);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, secOfDay / 3600, 2).append(':');
        pad(b, secOfDay / 60 % 60, 2).append(':');
        pad(b, secOfDay % 60, 2);
        int nano = t.getNano();
        // ISO_INSTANT prints the fraction in groups of three digits, as many as it needs
        if (nano > 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) pad(b, nano / 1_000_000, 3);
            else if (nano % 1000 == 0) pad(b, nano / 1000, 6);
            else pad(b, nano, 9);
        }
        return b.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        String digits = Long.toString(v);
        for (int i = digits.length(); i < width; i++) b.append('0');
        return b.append(digits);
    }
}
