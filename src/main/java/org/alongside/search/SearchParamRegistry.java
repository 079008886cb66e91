package org.alongside.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The search parameters the server offers, per resource type. Built from the FHIR R4 SearchParameter
 * definitions that HAPI ships, so adding a type or a parameter is data, not code.
 * {@code _id} and {@code _lastUpdated} are answered from the resource table and are not listed here.
 */
public final class SearchParamRegistry {

    private final Map<String, Map<String, SearchParamDef>> byType;

    private SearchParamRegistry(Map<String, Map<String, SearchParamDef>> byType) {
        this.byType = byType;
    }

    /** Every indexable parameter that R4 defines for the given resource types. */
    public static SearchParamRegistry fromDefinitions(FhirContext fhirContext, Collection<String> resourceTypes) {
        return fromDefinitions(fhirContext, resourceTypes, List.of());
    }

    /**
     * R4's parameters plus custom ones (from SearchParameter resources); a custom parameter with the name of a
     * built-in one replaces it.
     */
    public static SearchParamRegistry fromDefinitions(FhirContext fhirContext, Collection<String> resourceTypes,
                                                      Collection<SearchParamDef> custom) {
        Map<String, Map<String, SearchParamDef>> byType = new LinkedHashMap<>();
        for (String type : resourceTypes) {
            RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
            Map<String, SearchParamDef> params = new TreeMap<>();
            for (RuntimeSearchParam param : definition.getSearchParams()) {
                String name = param.getName();
                if (name.equals("_id") || name.equals("_lastUpdated") || param.getPath() == null
                        || param.getPath().isBlank()) {
                    continue;
                }
                SearchParamType.of(param.getParamType()).ifPresent(kind -> params.put(name,
                        new SearchParamDef(type, name, kind, param.getPath(), param.getTargets(),
                                param.getDescription())));
            }
            for (SearchParamDef extra : custom) {
                if (extra.resourceType().equals(type)) {
                    params.put(extra.name(), extra);
                }
            }
            byType.put(type, Collections.unmodifiableMap(params));
        }
        return new SearchParamRegistry(Collections.unmodifiableMap(byType));
    }

    /** A parameter from a SearchParameter resource; empty when its type is not one the store indexes. */
    public static List<SearchParamDef> fromSearchParameter(String code, String fhirType, String expression,
                                                           Collection<String> bases, Collection<String> targets,
                                                           String description) {
        RestSearchParameterTypeEnum kind = RestSearchParameterTypeEnum.forCode(fhirType);
        if (kind == null) {
            return List.of();
        }
        return SearchParamType.of(kind).map(type -> bases.stream()
                .map(base -> new SearchParamDef(base, code, type, expression, Set.copyOf(targets), description))
                .toList()).orElse(List.of());
    }

    public boolean supportsType(String resourceType) {
        return byType.containsKey(resourceType);
    }

    public Collection<String> resourceTypes() {
        return byType.keySet();
    }

    public Optional<SearchParamDef> find(String resourceType, String name) {
        return Optional.ofNullable(byType.getOrDefault(resourceType, Map.of()).get(name));
    }

    public List<SearchParamDef> forType(String resourceType) {
        return List.copyOf(byType.getOrDefault(resourceType, Map.of()).values());
    }
}
