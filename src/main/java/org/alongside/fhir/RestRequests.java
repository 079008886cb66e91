package org.alongside.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.interaction.SearchBundles;
import org.hl7.fhir.r4.model.Bundle;

/** Maps HAPI's view of a GET onto the pipeline's search and history requests, and their Bundles back. */
final class RestRequests {

    /** Request attribute telling {@link ResponseShaping} that the Bundle must carry no total. */
    static final String OMIT_TOTAL = "alongside.omitTotal";

    private RestRequests() {
    }

    static SearchBundles.Request of(String type, RequestDetails request) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameters().forEach((name, values) -> params.put(name, Arrays.asList(values)));
        return new SearchBundles.Request(type, params, request.getFhirServerBase(), request.getRequestPath(),
                isLenient(request));
    }

    /** HAPI would fill an absent total with the page size; an uncounted total must stay absent. */
    static Bundle answered(Bundle bundle, RequestDetails request) {
        if (!bundle.hasTotal()) {
            request.setAttribute(OMIT_TOTAL, Boolean.TRUE);
        }
        return bundle;
    }

    private static boolean isLenient(RequestDetails request) {
        List<String> prefer = request.getHeaders("Prefer");
        return prefer != null && prefer.stream().anyMatch(p -> p.replace(" ", "").contains("handling=lenient"));
    }
}
