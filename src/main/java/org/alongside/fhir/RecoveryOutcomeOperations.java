package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.UUID;
import org.alongside.mentorship.RecoveryCapitalService;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;

/**
 * Recovery outcomes as a FHIR operation (docs/mentorship.md#recovery-capital-barc-10): a BARC-10 response and its
 * score, stored together by {@link RecoveryCapitalService}.
 */
public class RecoveryOutcomeOperations {

    private final RecoveryCapitalService recoveryCapital;

    RecoveryOutcomeOperations(RecoveryCapitalService recoveryCapital) {
        this.recoveryCapital = recoveryCapital;
    }

    /** Stores a completed BARC-10 and its total score Observation; answers both (collection Bundle). */
    @Operation(name = "$record-recovery-capital", type = QuestionnaireResponse.class)
    public Bundle record(@OperationParam(name = "response", min = 1, max = 1) QuestionnaireResponse response,
                         RequestDetails request) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setId(UUID.randomUUID().toString());
        for (IBaseResource resource : recoveryCapital.record(response)) {
            bundle.addEntry().setFullUrl(request.getFhirServerBase() + "/"
                    + resource.getIdElement().toUnqualifiedVersionless().getValue()).setResource((Resource) resource);
        }
        return bundle;
    }
}
