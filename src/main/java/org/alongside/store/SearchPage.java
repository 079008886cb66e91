package org.alongside.store;

import java.util.List;
import org.alongside.search.PageCursor;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One page of search matches.
 *
 * @param total    number of all matches, or null when not counted
 * @param next     where the following page starts, or null when no match follows this page
 * @param previous where the preceding page starts, or null on the first page
 */
public record SearchPage(List<IBaseResource> resources, Integer total, PageCursor next, PageCursor previous) {

    /** A page with nothing on it and no neighbours. */
    public static SearchPage empty(Integer total) {
        return new SearchPage(List.of(), total, null, null);
    }

    /** Whether matches follow this page. */
    public boolean hasMore() {
        return next != null;
    }
}
