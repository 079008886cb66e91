package org.alongside.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import org.hl7.fhir.r4.model.Bundle;

/** HAPI fills an empty Bundle.total with _count; a total that was not counted must stay absent. */
@Interceptor
public class ResponseShaping {

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void removeUncountedTotal(RequestDetails request, ResponseDetails response) {
        if (Boolean.TRUE.equals(request.getAttribute(RestRequests.OMIT_TOTAL))
                && response.getResponseResource() instanceof Bundle bundle) {
            bundle.setTotalElement(null);
        }
    }
}
