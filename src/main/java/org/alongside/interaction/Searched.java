package org.alongside.interaction;

import java.util.List;
import org.alongside.search.PageCursor;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What a search through the pipeline lets the caller see.
 *
 * @param matches  the page's matches the caller may read
 * @param included what {@code _include}/{@code _revinclude} add, the caller may read them all
 * @param total    the number of all matches the caller may read, or null when it was not (or could not be) counted
 * @param next     where the following page starts, or null
 * @param previous where the preceding page starts, or null
 */
public record Searched(List<IBaseResource> matches, List<IBaseResource> included, Integer total, PageCursor next,
                       PageCursor previous) {
}
