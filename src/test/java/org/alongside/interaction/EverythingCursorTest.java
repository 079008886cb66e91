package org.alongside.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.alongside.search.PageCursor;
import org.junit.jupiter.api.Test;

class EverythingCursorTest {

    @Test
    void aCursorReadsBackAsTheSamePassAndInnerPage() {
        PageCursor inner = PageCursor.after(Arrays.asList("Ren-é?", Instant.parse("2025-03-02T18:00:00.123Z"), null), 42);
        EverythingCursor cursor = new EverythingCursor(7, inner);

        assertThat(EverythingCursor.parse(cursor.toString())).contains(cursor);
    }

    @Test
    void theBeginningOfAPassHasNoInnerPage() {
        assertThat(EverythingCursor.parse("e3")).contains(new EverythingCursor(3, null));
        assertThat(EverythingCursor.parse(new EverythingCursor(0, null).toString()))
                .contains(new EverythingCursor(0, null));
    }

    @Test
    void textThisServerDidNotWriteIsNoCursor() {
        for (String text : List.of("", "e", "x3", "e-1", "e3-", "e3-zzz", "e12345", "ea", "f12")) {
            assertThat(EverythingCursor.parse(text)).as(text).isEmpty();
        }
        assertThat(EverythingCursor.parse(null)).isEmpty();
    }
}
