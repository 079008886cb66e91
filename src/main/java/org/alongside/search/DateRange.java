package org.alongside.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span of time [low, high): a FHIR date, dateTime or instant stands for the whole span its precision
 * covers ("2024-03" is all of March). Values without a zone are read as UTC.
 */
public record DateRange(Instant low, Instant high) {

    /** Far bounds for open periods; inside the range both databases store. */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    private static final Pattern FORMAT = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

    public DateRange {
        if (high.isBefore(low)) {
            throw new IllegalArgumentException("high before low");
        }
    }

    /** Parses a FHIR date/dateTime/instant; empty when the text is not one. */
    public static Optional<DateRange> parse(String text) {
        // an unencoded "+01:00" in a query string arrives as " 01:00"; FHIR dates never contain spaces
        Matcher m = FORMAT.matcher(text.replace(' ', '+'));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(2) == null) {
                LocalDate start = LocalDate.of(year, 1, 1);
                return Optional.of(utc(start.atStartOfDay(), start.plusYears(1).atStartOfDay()));
            }
            YearMonth month = YearMonth.of(year, Integer.parseInt(m.group(2)));
            if (m.group(3) == null) {
                return Optional.of(utc(month.atDay(1).atStartOfDay(), month.plusMonths(1).atDay(1).atStartOfDay()));
            }
            LocalDate day = month.atDay(Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return Optional.of(utc(day.atStartOfDay(), day.plusDays(1).atStartOfDay()));
            }
            LocalDateTime time = day.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            ChronoUnit precision = m.group(6) == null ? ChronoUnit.MINUTES : ChronoUnit.SECONDS;
            if (m.group(7) != null) {
                String fraction = (m.group(7).substring(1) + "000000000").substring(0, 9);
                time = time.withNano(Integer.parseInt(fraction));
                precision = ChronoUnit.MILLIS;
            }
            ZoneOffset zone = m.group(8) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
            Instant low = OffsetDateTime.of(time, zone).toInstant();
            return Optional.of(new DateRange(low, low.plus(1, precision)));
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static DateRange of(Instant low, Instant high) {
        return new DateRange(low == null ? MIN : low, high == null ? MAX : high);
    }

    private static DateRange utc(LocalDateTime low, LocalDateTime high) {
        return new DateRange(low.toInstant(ZoneOffset.UTC), high.toInstant(ZoneOffset.UTC));
    }
}
