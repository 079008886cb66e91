package org.alongside.search;

import java.util.List;

/**
 * A parsed search: every criterion must hold (AND); each criterion lists alternatives (OR).
 *
 * @param sort   sort keys; after them, matches are always ordered by storage key, so the order is total
 * @param count  page size
 * @param cursor where this page starts (from a {@code next} or {@code previous} link), or null for the first page
 * @param total  whether and how to count all matches
 */
public record SearchQuery(String resourceType, List<Criterion> criteria, List<SortKey> sort, int count,
                          PageCursor cursor, TotalMode total, boolean countOnly) {

    public SearchQuery {
        criteria = List.copyOf(criteria);
        sort = List.copyOf(sort);
    }

    /** The same search, starting at another page. */
    public SearchQuery at(PageCursor page) {
        return new SearchQuery(resourceType, criteria, sort, count, page, total, countOnly);
    }

    /**
     * Whether Bundle.total is given. WHEN_KNOWN, the default, gives it when it costs nothing: on a first page that
     * holds every match. Counting every match on every page made each page of a large result as dear as the whole
     * result, so a client that paged through it did quadratic work; a client that wants the number asks for it.
     */
    public enum TotalMode { NONE, WHEN_KNOWN, ACCURATE }

    /** A sort key: a parameter name ({@code _id}, {@code _lastUpdated} or an indexed one). */
    public record SortKey(String param, SearchParamType type, boolean descending) {
    }

    /** One criterion of the search. */
    public sealed interface Criterion permits IdCriterion, LastUpdatedCriterion, ParamCriterion, ChainCriterion,
            HasCriterion {
    }

    /** {@code _id}: any of the given logical ids. */
    public record IdCriterion(List<String> ids, boolean negated) implements Criterion {
    }

    /** {@code _lastUpdated}: any of the given date comparisons. */
    public record LastUpdatedCriterion(List<DateValue> anyOf) implements Criterion {
    }

    /** An indexed parameter with optional modifier and alternative values. */
    public record ParamCriterion(SearchParamDef param, Modifier modifier, List<Value> anyOf) implements Criterion {
    }

    /**
     * A chained parameter ({@code subject:Patient.identifier=x}): the reference {@code reference} points to a
     * resource that matches one of {@code targets} (one criterion per possible target type).
     */
    public record ChainCriterion(SearchParamDef reference, List<ParamCriterion> targets) implements Criterion {
    }

    /**
     * A reverse chain ({@code _has:Communication:subject:category=x}): some {@code sourceType} resource whose
     * {@code reference} points to the resource matches {@code source}.
     */
    public record HasCriterion(SearchParamDef reference, ParamCriterion source) implements Criterion {
    }

    public enum Modifier { NONE, MISSING, NOT, EXACT, CONTAINS, TYPE }

    /** One value of a criterion. */
    public sealed interface Value permits TokenValue, StringValue, DateValue, ReferenceValue, MissingValue {
    }

    /** {@code code}, {@code system|code}, {@code |code} (no system) or {@code system|} (any code). */
    public record TokenValue(String system, String code, boolean systemGiven) implements Value {
    }

    public record StringValue(String text) implements Value {
    }

    public record DateValue(DatePrefix prefix, DateRange range) implements Value {
    }

    /**
     * A reference: by type and id (type may be null: any type), or by absolute URL for a target
     * outside this server (and for canonical/uri parameters).
     */
    public record ReferenceValue(String type, String id, String url) implements Value {
    }

    public record MissingValue(boolean missing) implements Value {
    }
}
