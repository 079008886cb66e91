package org.alongside.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DateRangeTest {

    private static DateRange range(String low, String high) {
        return new DateRange(Instant.parse(low), Instant.parse(high));
    }

    private static DateRange parsed(String text) {
        return DateRange.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @Test
    void yearCoversTheWholeYear() {
        assertThat(parsed("2024")).isEqualTo(range("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"));
    }

    @Test
    void monthCoversTheWholeMonth() {
        assertThat(parsed("2024-02")).isEqualTo(range("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"));
        assertThat(parsed("2024-12")).isEqualTo(range("2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z"));
    }

    @Test
    void dayCoversTheWholeDay() {
        assertThat(parsed("2024-03-10")).isEqualTo(range("2024-03-10T00:00:00Z", "2024-03-11T00:00:00Z"));
        assertThat(parsed("2024-02-29")).isEqualTo(range("2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"));
        assertThat(parsed("2024-12-31")).isEqualTo(range("2024-12-31T00:00:00Z", "2025-01-01T00:00:00Z"));
    }

    @Test
    void minutePrecisionWithoutZoneIsUtc() {
        assertThat(parsed("2024-03-10T10:15")).isEqualTo(range("2024-03-10T10:15:00Z", "2024-03-10T10:16:00Z"));
    }

    @Test
    void minutePrecisionWithZone() {
        assertThat(parsed("2024-03-10T10:15+02:00")).isEqualTo(range("2024-03-10T08:15:00Z", "2024-03-10T08:16:00Z"));
    }

    @Test
    void secondPrecision() {
        assertThat(parsed("2024-03-10T10:15:30Z")).isEqualTo(range("2024-03-10T10:15:30Z", "2024-03-10T10:15:31Z"));
        assertThat(parsed("2024-03-10T10:15:30")).isEqualTo(parsed("2024-03-10T10:15:30Z"));
    }

    @Test
    void millisecondPrecision() {
        assertThat(parsed("2024-03-10T10:15:30.123Z"))
                .isEqualTo(range("2024-03-10T10:15:30.123Z", "2024-03-10T10:15:30.124Z"));
    }

    @Test
    void shortFractionIsScaled() {
        assertThat(parsed("2024-03-10T10:15:30.5Z").low()).isEqualTo(Instant.parse("2024-03-10T10:15:30.500Z"));
    }

    @Test
    void timeZonesShiftToUtc() {
        assertThat(parsed("2024-03-10T10:15:30+02:00"))
                .isEqualTo(range("2024-03-10T08:15:30Z", "2024-03-10T08:15:31Z"));
        assertThat(parsed("2024-03-10T22:15:30-05:00"))
                .isEqualTo(range("2024-03-11T03:15:30Z", "2024-03-11T03:15:31Z"));
        assertThat(parsed("2024-01-01T01:00:00+02:00").low()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(parsed("2024-03-10T10:15:30+00:00")).isEqualTo(parsed("2024-03-10T10:15:30Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-13", "2024-00", "2024-02-30", "2023-02-29", "2024-04-31", "garbage", "", "24",
            "2024-1", "2024-03-1", "2024-03-10T10", "2024-03-10T25:00", "2024-03-10T10:60",
            "2024-03-10T10:15:61Z", "2024-03-10 10:15", "2024-03-10T10:15:30+25:00", "2024-03-10T10:15:30+0200",
            "ge2024", " 2024", "2024-03-10Z"})
    void invalidInputsAreEmpty(String text) {
        assertThat(DateRange.parse(text)).isEmpty();
    }

    @Test
    void openEndsUseFarBounds() {
        Instant t = Instant.parse("2024-03-10T00:00:00Z");
        assertThat(DateRange.of(t, null)).isEqualTo(new DateRange(t, DateRange.MAX));
        assertThat(DateRange.of(null, t)).isEqualTo(new DateRange(DateRange.MIN, t));
        assertThat(DateRange.MIN).isBefore(Instant.parse("1900-01-01T00:00:00Z"));
        assertThat(DateRange.MAX).isAfter(Instant.parse("3000-01-01T00:00:00Z"));
    }

    @Test
    void highBeforeLowIsRejected() {
        assertThatThrownBy(() -> range("2024-03-10T00:00:00Z", "2024-03-09T00:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
