package org.alongside.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryCursorTest {

    @Test
    void roundTripsThroughItsText() {
        HistoryPage.Cursor cursor = new HistoryPage.Cursor(Instant.parse("2026-11-25T13:00:00.123Z"), 4711);
        assertThat(HistoryPage.Cursor.parse(cursor.toString())).contains(cursor);
    }

    @Test
    void refusesWhatItDidNotWrite() {
        assertThat(HistoryPage.Cursor.parse("abc")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("12")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("1.2.3")).isEmpty();
        assertThat(HistoryPage.Cursor.parse("x.5")).isEmpty();
    }
}
