package org.alongside.search;

import java.util.Optional;

/** Comparison prefixes of FHIR date search values. */
public enum DatePrefix {
    EQ, NE, GT, LT, GE, LE, SA, EB, AP;

    /** The prefix at the start of a search value, if it has one. */
    static Optional<DatePrefix> leading(String value) {
        if (value.length() > 2 && Character.isLetter(value.charAt(0))) {
            String code = value.substring(0, 2).toUpperCase();
            for (DatePrefix p : values()) {
                if (p.name().equals(code)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
