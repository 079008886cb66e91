package org.alongside.search;

/**
 * An {@code _include} or {@code _revinclude}: resources that {@code sourceType}'s reference parameter
 * {@code param} connects to the matches (optionally only those of {@code targetType}).
 *
 * @param reverse  true for {@code _revinclude} (resources pointing at the matches)
 * @param iterate  true for {@code :iterate} (also applied to the resources included, one more level)
 */
public record Include(String sourceType, SearchParamDef param, String targetType, boolean reverse, boolean iterate) {
}
