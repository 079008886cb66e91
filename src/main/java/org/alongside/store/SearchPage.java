package org.alongside.store;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One page of search matches.
 *
 * @param total   number of all matches, or null when not counted
 * @param hasMore whether matches follow this page
 * @param lastKey storage key of the page's last match (for the next keyset page), or null
 */
public record SearchPage(List<IBaseResource> resources, Integer total, boolean hasMore, Long lastKey) {
}
