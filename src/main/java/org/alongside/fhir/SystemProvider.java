package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;

/** Interactions on the whole server rather than one type. */
public class SystemProvider {

    private final SearchBundles searchBundles;

    SystemProvider(SearchBundles searchBundles) {
        this.searchBundles = searchBundles;
    }

    @History
    public Bundle systemHistory(RequestDetails request) {
        return searchBundles.history(null, null, request);
    }
}
