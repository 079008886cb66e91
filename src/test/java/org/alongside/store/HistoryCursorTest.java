package org.alongside.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryCursorTest {

    @Test
    void roundTripsThroughItsText() {
        HistoryPage.Cursor cursor = HistoryPage.Cursor.newestFirst(Instant.parse("2026-11-25T13:00:00.123Z"), 4711);
        assertThat(HistoryPage.Cursor.parse(cursor.toString())).contains(cursor);
        assertThat(cursor.lastUpdated()).isEqualTo(Instant.parse("2026-11-25T13:00:00.123Z"));
    }

    @Test
    void aChangeFeedCursorSaysItIsOneAndRoundTrips() {
        HistoryPage.Cursor cursor = HistoryPage.Cursor.feed(88123, 4711);
        assertThat(cursor.toString()).isEqualTo("w88123.4711");
        assertThat(HistoryPage.Cursor.parse("w88123.4711")).contains(cursor);
        assertThat(HistoryPage.Cursor.parse("1764072000000.42")).hasValueSatisfying(old -> assertThat(old.feed()).isFalse());
    }

    @Test
    void refusesWhatItDidNotWrite() {
        assertThat(HistoryPage.Cursor.parse("abc")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("12")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("1.2.3")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("x.5")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("w")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("ww1.2")).isEmpty();
    }
}
