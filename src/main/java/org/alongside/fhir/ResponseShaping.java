package org.alongside.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Corrects two answers HAPI shapes its own way: an empty Bundle.total it fills with _count (a total that was not
 * counted must stay absent), and a resource read with {@code _summary=text}, which HAPI sends as bare HTML.
 */
@Interceptor
public class ResponseShaping {

    /**
     * R4's {@code _summary=text} is the resource with only text, id, meta and the mandatory elements, tagged SUBSETTED:
     * exactly what HAPI encodes for {@code _elements=text}, which a read is told to do instead (HAPI reads the summary
     * mode before any outgoing hook, so this is done before the handler runs). Searches already get that from HAPI.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void textSummaryAsResource(RequestDetails request, RestOperationTypeEnum operation) {
        String[] summary = request.getParameters().get("_summary");
        if ((operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD) && summary != null
                && summary.length == 1 && "text".equals(summary[0])) {
            Map<String, String[]> parameters = new HashMap<>(request.getParameters());
            parameters.remove("_summary");
            parameters.put("_elements", new String[] {"text"});
            request.setParameters(parameters);
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void removeUncountedTotal(RequestDetails request, ResponseDetails response) {
        if (Boolean.TRUE.equals(request.getAttribute(RestRequests.OMIT_TOTAL))
                && response.getResponseResource() instanceof Bundle bundle) {
            bundle.setTotalElement(null);
        }
    }
}
