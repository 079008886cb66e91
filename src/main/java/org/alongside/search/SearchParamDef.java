package org.alongside.search;

import java.util.Set;

/**
 * One search parameter of one resource type, as its SearchParameter definition gives it.
 *
 * @param expression FHIRPath expression that yields the indexed values
 * @param targets    resource types a reference parameter may point to (empty for other kinds)
 */
public record SearchParamDef(String resourceType, String name, SearchParamType type, String expression,
                             Set<String> targets, String description) {

    public SearchParamDef {
        targets = Set.copyOf(targets);
    }
}
