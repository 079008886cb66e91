package org.alongside.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Marks every Part 2 record that leaves the program (consent checked already) with the refrain label
 * NORDSCLCD, "no redisclosure without consent", so the recipient knows the rule travels with the record.
 */
@Interceptor
@ApplicationScoped
public class Part2Disclosure {

    @Inject
    Part2Config part2;

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void label(RequestDetails request, IBaseResource response) {
        RequestAccess access = RequestAccess.current();
        if (response == null || access == null || !part2.enabled() || !part2.isOutsideRecipient(access.caller())) {
            return;
        }
        mark(response, 0);
    }

    private static void mark(IBaseResource resource, int depth) {
        if (resource instanceof Bundle && depth < 3) {
            for (Bundle.BundleEntryComponent entry : ((Bundle) resource).getEntry()) {
                if (entry.hasResource()) {
                    mark(entry.getResource(), depth + 1);
                }
            }
            return;
        }
        if (Part2Labels.isPart2Record(resource)
                && !Part2Labels.hasLabel(resource, Part2Labels.ACT_CODE, "NORDSCLCD")) {
            resource.getMeta().addSecurity().setSystem(Part2Labels.ACT_CODE).setCode("NORDSCLCD")
                    .setDisplay("no redisclosure without consent directive");
        }
    }
}
