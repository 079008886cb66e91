package org.alongside.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.alongside.search.PageCursor;
import org.alongside.search.SearchQuery;
import org.alongside.store.SearchPage;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Turns the rows of {@link SearchSql#selectPage} (key, content, sort values; at most one more than a page, read
 * nearest first) into a page with cursors to its neighbours.
 */
final class KeysetPage {

    private KeysetPage() {
    }

    static SearchPage of(SearchQuery query, List<Object[]> rows, Integer total, Function<Object, IBaseResource> parse) {
        boolean beyondPage = rows.size() > query.count();
        List<Object[]> page = new ArrayList<>(rows.subList(0, Math.min(rows.size(), query.count())));
        PageCursor cursor = query.cursor();
        boolean backward = cursor != null && cursor.backward();
        if (backward) {
            Collections.reverse(page);
        }
        List<IBaseResource> resources = page.stream().map(row -> parse.apply(row[1])).toList();
        if (page.isEmpty()) {
            // nothing (left) on this page: the neighbours are those of the cursor's own row
            return new SearchPage(resources, total, backward ? cursor.reversed() : null,
                    cursor != null && !backward ? cursor.reversed() : null);
        }
        Object[] first = page.get(0);
        Object[] last = page.get(page.size() - 1);
        // read forward, more rows means a next page; read backward, it means a previous one
        boolean hasNext = backward || beyondPage;
        boolean hasPrevious = backward ? beyondPage : cursor != null;
        return new SearchPage(resources, total,
                hasNext ? PageCursor.after(sortValues(last), key(last)) : null,
                hasPrevious ? PageCursor.before(sortValues(first), key(first)) : null);
    }

    private static long key(Object[] row) {
        return ((Number) row[0]).longValue();
    }

    /** The sort values of a row (the columns after key and content), as the JDBC driver hands them back. */
    private static List<Object> sortValues(Object[] row) {
        List<Object> values = new ArrayList<>();
        for (int i = 2; i < row.length; i++) {
            values.add(cursorValue(row[i]));
        }
        return values;
    }

    private static Object cursorValue(Object value) {
        if (value == null || value instanceof Instant || value instanceof String) {
            return value;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.toInstant();
        }
        if (value instanceof ZonedDateTime dateTime) {
            return dateTime.toInstant();
        }
        return value.toString();
    }
}
