package org.alongside.interaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alongside.index.IndexedValues;
import org.alongside.index.SearchIndexExtractor;
import org.alongside.search.Include;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Finds the resources that {@code _include} and {@code _revinclude} add to a page of matches: first for
 * the matches, then once more (for {@code :iterate} ones) for what the first round added. Each resource
 * appears once; matches are never repeated as includes.
 */
final class IncludeResolver {

    /** Ids per lookup: keeps each generated search (and its SQL IN list) small. */
    private static final int CHUNK = 100;
    private static final int MAX_PER_INCLUDE = 1000;

    private final ResourceStore store;
    private final SearchRequestParser parser;
    private final SearchIndexExtractor extractor;

    IncludeResolver(ResourceStore store, SearchRequestParser parser, SearchIndexExtractor extractor) {
        this.store = store;
        this.parser = parser;
        this.extractor = extractor;
    }

    List<IBaseResource> resolve(List<IBaseResource> matches, List<Include> includes) {
        if (includes.isEmpty() || matches.isEmpty()) {
            return List.of();
        }
        Map<String, IBaseResource> seen = new LinkedHashMap<>();
        matches.forEach(r -> seen.put(key(r), r));
        List<IBaseResource> added = new ArrayList<>();
        List<IBaseResource> round = matches;
        for (int level = 0; level < 2 && !round.isEmpty(); level++) {
            List<IBaseResource> next = new ArrayList<>();
            for (Include include : includes) {
                if (level == 1 && !include.iterate()) {
                    continue;
                }
                List<IBaseResource> found = include.reverse() ? pointingAt(round, include) : pointedTo(round, include);
                for (IBaseResource resource : found) {
                    if (seen.putIfAbsent(key(resource), resource) == null) {
                        next.add(resource);
                    }
                }
            }
            added.addAll(next);
            round = next;
        }
        return added;
    }

    /** _include: the targets of the source resources' references. */
    private List<IBaseResource> pointedTo(List<IBaseResource> resources, Include include) {
        Map<String, Set<String>> idsByType = new LinkedHashMap<>();
        for (IBaseResource resource : resources) {
            if (!type(resource).equals(include.sourceType())) {
                continue;
            }
            for (IndexedValues.Ref ref : extractor.references(resource, include.param())) {
                if (ref.targetType() != null && (include.targetType() == null || include.targetType().equals(ref.targetType()))
                        && parser.supportsType(ref.targetType())) {
                    idsByType.computeIfAbsent(ref.targetType(), t -> new LinkedHashSet<>()).add(ref.targetId());
                }
            }
        }
        List<IBaseResource> found = new ArrayList<>();
        idsByType.forEach((type, ids) -> chunks(ids).forEach(chunk -> found.addAll(search(type, "_id",
                String.join(",", chunk)))));
        return found;
    }

    /** _revinclude: resources of the source type whose parameter points at one of the given resources. */
    private List<IBaseResource> pointingAt(List<IBaseResource> resources, Include include) {
        Set<String> targets = new LinkedHashSet<>();
        for (IBaseResource resource : resources) {
            String type = type(resource);
            boolean allowed = include.param().targets().isEmpty() || include.param().targets().contains(type);
            if (allowed && (include.targetType() == null || include.targetType().equals(type))) {
                targets.add(key(resource));
            }
        }
        List<IBaseResource> found = new ArrayList<>();
        chunks(targets).forEach(chunk -> found.addAll(search(include.sourceType(), include.param().name(),
                String.join(",", chunk))));
        return found;
    }

    private List<IBaseResource> search(String type, String param, String values) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put(param, List.of(values));
        params.put("_count", List.of(Integer.toString(MAX_PER_INCLUDE)));
        params.put("_total", List.of("none"));
        return store.search(parser.parse(type, params, null, false)).resources();
    }

    private static List<List<String>> chunks(Set<String> values) {
        List<String> all = new ArrayList<>(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }

    private static String type(IBaseResource resource) {
        return resource.getIdElement().getResourceType();
    }

    private static String key(IBaseResource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
