package org.alongside.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.alongside.search.PageCursor;
import org.alongside.search.SearchParamType;
import org.alongside.search.SearchQuery;
import org.alongside.store.SearchPage;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class KeysetPageTest {

    private static final List<SearchQuery.SortKey> BY_BIRTH_DATE =
            List.of(new SearchQuery.SortKey("birthdate", SearchParamType.DATE, false));

    private static SearchQuery query(PageCursor cursor) {
        return new SearchQuery("Patient", List.of(), BY_BIRTH_DATE, 2, cursor, SearchQuery.TotalMode.NONE, false);
    }

    private static Object[] row(long key) {
        return new Object[] {key, "p" + key, Timestamp.from(Instant.ofEpochSecond(key * 1000))};
    }

    private static List<Object[]> rows(long... keys) {
        List<Object[]> rows = new ArrayList<>();
        for (long key : keys) {
            rows.add(row(key));
        }
        return rows;
    }

    private static SearchPage page(PageCursor cursor, long... keys) {
        return KeysetPage.of(query(cursor), rows(keys), null, content -> new Patient().setId(content.toString()));
    }

    private static List<String> ids(SearchPage page) {
        return page.resources().stream().map(IBaseResource::getIdElement).map(id -> id.getIdPart()).toList();
    }

    private static PageCursor at(long key) {
        return PageCursor.after(List.of(Instant.ofEpochSecond(key * 1000)), key);
    }

    @Test
    void firstPageWithMoreHasANextAfterItsLastRowAndNoPrevious() {
        SearchPage page = page(null, 1, 2, 3);
        assertThat(ids(page)).containsExactly("p1", "p2");
        assertThat(page.next()).isEqualTo(at(2));
        assertThat(page.previous()).isNull();
    }

    @Test
    void lastPageReachedForwardHasAPreviousBeforeItsFirstRowAndNoNext() {
        SearchPage page = page(at(2), 3);
        assertThat(ids(page)).containsExactly("p3");
        assertThat(page.next()).isNull();
        assertThat(page.previous()).isEqualTo(at(3).reversed());
    }

    @Test
    void backwardRowsComeNearestFirstAndArePutBackInOrder() {
        SearchPage page = page(at(5).reversed(), 4, 3, 2);
        assertThat(ids(page)).containsExactly("p3", "p4");
        assertThat(page.next()).isEqualTo(at(4));
        assertThat(page.previous()).isEqualTo(at(3).reversed());
    }

    @Test
    void backwardToTheStartHasNoPrevious() {
        SearchPage page = page(at(3).reversed(), 2, 1);
        assertThat(ids(page)).containsExactly("p1", "p2");
        assertThat(page.previous()).isNull();
        assertThat(page.next()).isEqualTo(at(2));
    }

    @Test
    void emptyPageKeepsTheWayBack() {
        SearchPage forward = page(at(9));
        assertThat(forward.resources()).isEmpty();
        assertThat(forward.next()).isNull();
        assertThat(forward.previous()).isEqualTo(at(9).reversed());
        SearchPage backward = page(at(1).reversed());
        assertThat(backward.previous()).isNull();
        assertThat(backward.next()).isEqualTo(at(1));
        assertThat(page(null).next()).isNull();
    }

    @Test
    void driverTimestampsOfAnyKindBecomeInstants() {
        Instant when = Instant.parse("2026-11-25T08:00:00.123456Z");
        Object[] row = {7L, "p7", OffsetDateTime.ofInstant(when, ZoneOffset.ofHours(-5))};
        SearchPage page = KeysetPage.of(query(null), List.of(row, row(8), row(9)), null,
                content -> new Patient().setId(content.toString()));
        assertThat(page.next()).isEqualTo(at(8));
        SearchPage first = KeysetPage.of(query(at(1)), List.<Object[]>of(row), null, c -> new Patient());
        assertThat(first.previous()).isEqualTo(PageCursor.before(List.of(when), 7));
    }
}
