package org.alongside.store;

import java.util.function.Predicate;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One change the store has just written, handed to every {@link ChangeListener} inside the writing transaction.
 *
 * @param resource the resource as stored; null for a delete
 */
public record ResourceChange(String type, String id, long version, Operation operation, IBaseResource resource,
                             Predicate<SearchQuery> matcher) {

    public enum Operation { CREATE, UPDATE, DELETE }

    /**
     * Whether this version matches a search of its type, evaluated by the store itself (same SQL as a search,
     * restricted to this resource, seeing the uncommitted write). A deleted resource matches nothing.
     */
    public boolean matches(SearchQuery query) {
        return query.resourceType().equals(type) && matcher.test(query);
    }
}
