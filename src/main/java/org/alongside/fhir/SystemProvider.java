package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import java.util.List;
import org.alongside.interaction.SearchBundles;
import org.alongside.sync.BundleProcessor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Bundle;

/** Interactions on the whole server rather than one type. */
public class SystemProvider {

    private final SearchBundles searchBundles;
    private final BundleProcessor bundles;

    SystemProvider(SearchBundles searchBundles, BundleProcessor bundles) {
        this.searchBundles = searchBundles;
        this.bundles = bundles;
    }

    /** Transaction and batch Bundles, POSTed to the base. */
    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        List<String> prefer = request.getHeaders("Prefer");
        boolean minimal = prefer != null && prefer.stream().anyMatch(p -> p.replace(" ", "").contains("return=minimal"));
        return bundles.process(bundle, request.getFhirServerBase(), !minimal);
    }

    @History
    public Bundle systemHistory(RequestDetails request) {
        return RestRequests.answered(searchBundles.history(RestRequests.of(null, request), null), request);
    }
}
