package org.alongside.search;

import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.Optional;

/** The kinds of search parameter the store indexes; other FHIR kinds are not offered. */
public enum SearchParamType {
    TOKEN, STRING, DATE, REFERENCE, URI;

    static Optional<SearchParamType> of(RestSearchParameterTypeEnum fhirType) {
        return switch (fhirType) {
            case TOKEN -> Optional.of(TOKEN);
            case STRING -> Optional.of(STRING);
            case DATE -> Optional.of(DATE);
            case REFERENCE -> Optional.of(REFERENCE);
            case URI -> Optional.of(URI);
            default -> Optional.empty();
        };
    }

    public String fhirCode() {
        return name().toLowerCase();
    }
}
