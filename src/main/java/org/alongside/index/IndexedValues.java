package org.alongside.index;

import java.time.Instant;
import java.util.Set;

/** The search index entries of one resource version, grouped by value kind. */
public record IndexedValues(Set<Token> tokens, Set<Text> strings, Set<Date> dates, Set<Ref> references) {

    public record Token(String param, String system, String code) {
    }

    public record Text(String param, String normalized, String exact) {
    }

    /** A date span [low, high). */
    public record Date(String param, Instant low, Instant high) {
    }

    /** A local reference (type and id) or an absolute / canonical URL. */
    public record Ref(String param, String targetType, String targetId, String url) {
    }
}
