package io.github.segmentdrip.mapping;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the timestamps Segment messages carry. The spec says ISO-8601 UTC, but real messages
 * differ (segment.md §1.1): Engage sends nanoseconds, the HTTP API docs' own batch example has
 * {@code 2015-2-02T00:30:08.276Z}, client-side bodies may hold epoch milliseconds. A message is
 * never rejected over its timestamp: an unreadable one is simply absent, and the caller falls
 * back to the next source.
 */
public final class Timestamps {

    /**
     * ISO-8601 with one- or two-digit month, day and time parts, any number of fraction digits,
     * 'T' or a space between date and time, and an optional zone (missing means UTC).
     */
    private static final Pattern LENIENT_ISO = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})"
                    + "(?:[Tt ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:[.,](\\d+))?)?)?"
                    + "\\s*([Zz]|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2})?)?");

    /** Four-digit years only, so {@link #format} always writes plain ISO-8601 that Drip can read. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Timestamps() {
    }

    /**
     * An ISO-8601 string (leniently, as above), a zoned ISO string with a region, an RFC 1123
     * string, or a JSON number of epoch milliseconds. Anything else is empty, never an exception.
     */
    public static Optional<Instant> parse(Object value) {
        try {
            if (value instanceof Number millis) {
                return fromEpochMillis(millis).filter(Timestamps::hasFourDigitYear);
            }
            if (value instanceof String text && !text.isBlank()) {
                return fromText(text.strip()).filter(Timestamps::hasFourDigitYear);
            }
        } catch (DateTimeException | ArithmeticException | NumberFormatException unreadable) {
            // Out of range (month 13, year 10^12...): treated like any other unreadable value.
        }
        return Optional.empty();
    }

    /**
     * ISO-8601 UTC with a 'Z', to the millisecond when there are milliseconds
     * ({@code 2024-06-05T11:44:40Z}, {@code 2024-06-05T11:44:40.123Z}); finer digits are cut, as
     * Segment's own timestamps stop at milliseconds.
     */
    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static boolean hasFourDigitYear(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    private static Optional<Instant> fromEpochMillis(Number millis) {
        long whole = millis instanceof Integer || millis instanceof Long
                ? millis.longValue()
                : new BigDecimal(millis.toString()).longValueExact();
        return Optional.of(Instant.ofEpochMilli(whole));
    }

    private static Optional<Instant> fromText(String text) {
        Matcher iso = LENIENT_ISO.matcher(text);
        if (iso.matches()) {
            LocalDateTime local = LocalDateTime.of(
                    Integer.parseInt(iso.group(1)),
                    Integer.parseInt(iso.group(2)),
                    Integer.parseInt(iso.group(3)),
                    number(iso.group(4)),
                    number(iso.group(5)),
                    number(iso.group(6)),
                    nanos(iso.group(7)));
            return Optional.of(local.toInstant(offset(iso.group(8))));
        }
        for (DateTimeFormatter format : new DateTimeFormatter[] {
                DateTimeFormatter.ISO_ZONED_DATE_TIME, DateTimeFormatter.RFC_1123_DATE_TIME}) {
            try {
                return Optional.of(ZonedDateTime.parse(text, format).toInstant());
            } catch (DateTimeException notThisFormat) {
                // try the next format
            }
        }
        return Optional.empty();
    }

    private static int number(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    /** "066179717" → 66,179,717 ns; "5" → 500,000,000 ns; digits past nanoseconds are cut. */
    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        String nine = (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(nine);
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || zone.equalsIgnoreCase("Z") || zone.equals("UTC") || zone.equals("GMT")) {
            return ZoneOffset.UTC;
        }
        return ZoneOffset.of(zone);
    }
}
