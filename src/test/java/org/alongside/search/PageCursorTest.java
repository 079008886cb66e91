package org.alongside.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void textRoundTripsValuesOfEveryKind() {
        PageCursor cursor = PageCursor.before(Arrays.asList("Maria José|x.y~z", null,
                Instant.parse("2026-11-25T10:15:30.123456789Z"), Instant.parse("1850-01-01T00:00:00Z")), 9_876_543_210L);
        assertThat(PageCursor.parse(cursor.toString())).contains(cursor);
    }

    @Test
    void textIsSafeInAUrlQueryAsItIs() {
        String text = PageCursor.after(List.of("a b&c=d/é", Instant.parse("2026-01-01T00:00:00Z")), 5).toString();
        assertThat(text).matches("[A-Za-z0-9._,~-]+");
    }

    @Test
    void bareNumberIsAForwardCursorWithoutSortValues() {
        assertThat(PageCursor.parse("123")).contains(PageCursor.after(List.of(), 123));
    }

    @Test
    void anythingElseIsNotACursor() {
        for (String text : new String[] {"", "x12", "f", "f12.q", "f12.t1", "f12.tx,1", "f12.s***", "b-", "12.5"}) {
            assertThat(PageCursor.parse(text)).as(text).isEmpty();
        }
    }

    @Test
    void reversedLooksFromTheOtherSideOfTheSameRow() {
        PageCursor after = PageCursor.after(List.of("k"), 7);
        assertThat(after.reversed()).isEqualTo(PageCursor.before(List.of("k"), 7));
        assertThat(after.reversed().reversed()).isEqualTo(after);
    }

    @Test
    void fitsOnlyASortWithTheSameKeysAndKinds() {
        List<SearchQuery.SortKey> sort = List.of(new SearchQuery.SortKey("sent", SearchParamType.DATE, true),
                new SearchQuery.SortKey("_id", SearchParamType.TOKEN, false));
        assertThat(PageCursor.after(List.of(Instant.EPOCH, "a"), 1).fits(sort)).isTrue();
        assertThat(PageCursor.after(Arrays.asList(null, "a"), 1).fits(sort)).isTrue();
        assertThat(PageCursor.after(List.of("a", "a"), 1).fits(sort)).isFalse();
        assertThat(PageCursor.after(List.of(Instant.EPOCH), 1).fits(sort)).isFalse();
        assertThat(PageCursor.after(List.of(), 1).fits(List.of())).isTrue();
    }
}
