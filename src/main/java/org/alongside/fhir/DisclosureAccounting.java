package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.UUID;
import org.alongside.audit.AuditStore;
import org.alongside.interaction.InteractionPipeline;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/** {@code Patient/[id]/$accounting-of-disclosures}: what the audit trail says left the program about a person. */
public class DisclosureAccounting {

    private final AuditStore audit;
    private final InteractionPipeline access;
    private final int maxCount;

    DisclosureAccounting(AuditStore audit, InteractionPipeline access, int maxCount) {
        this.audit = audit;
        this.access = access;
        this.maxCount = maxCount;
    }

    /** The accounting of disclosures (42 CFR Part 2 / HIPAA): events that released this person's records. */
    @Operation(name = "$accounting-of-disclosures", idempotent = true, type = Patient.class)
    public Bundle accounting(@IdParam IdType patient, RequestDetails request) {
        access.checkListing("AuditEvent");
        AuditStore.Page page = audit.search(new AuditStore.Criteria("Patient/" + patient.getIdPart(), null,
                "disclosure", null, null, null, null), maxCount, null);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setId(UUID.randomUUID().toString());
        bundle.setTotal(page.events().size());
        page.events().forEach(event -> bundle.addEntry().setFullUrl(request.getFhirServerBase() + "/AuditEvent/"
                + event.getIdElement().getIdPart()).setResource(event));
        return bundle;
    }

}
