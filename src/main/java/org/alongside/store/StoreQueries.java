package org.alongside.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Searches the store with FHIR search syntax from inside the server (same parser and rules as REST). */
public final class StoreQueries {

    private static final int PAGE = 500;

    private final ResourceStore store;
    private final SearchRequestParser parser;

    public StoreQueries(ResourceStore store, SearchRequestParser parser) {
        this.store = store;
        this.parser = parser;
    }

    /** Every match of {@code type?name=value&...}; pairs are name, value, name, value... */
    public <T extends IBaseResource> List<T> all(String type, Class<T> resultClass, String... nameValuePairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            params.computeIfAbsent(nameValuePairs[i], k -> new ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        params.put("_count", List.of(Integer.toString(PAGE)));
        params.put("_total", List.of("none"));
        SearchQuery query = parser.parse(type, params, null, false);
        List<T> results = new ArrayList<>();
        while (true) {
            SearchPage result = store.search(query);
            result.resources().forEach(r -> results.add(resultClass.cast(r)));
            if (!result.hasMore()) {
                return results;
            }
            query = query.at(result.next());
        }
    }
}
