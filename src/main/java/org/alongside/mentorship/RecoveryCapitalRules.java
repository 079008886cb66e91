package org.alongside.mentorship;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * A BARC-10 response is stored only when it can be scored ({@link RecoveryCapital#problems}): every item answered
 * once, on the scale. However it arrives (the operation, a plain create or update, a Bundle entry), an incomplete
 * one is a 422 and nothing is written. The profile recovery-capital-response says the same in FHIR terms; this rule
 * adds what a profile cannot (each linkId exactly once).
 */
@ApplicationScoped
public class RecoveryCapitalRules implements WriteCheck {

    static final String INCOMPLETE = "assessment-incomplete";

    @Override
    public void check(IBaseResource resource) {
        if (resource instanceof QuestionnaireResponse response && RecoveryCapital.isResponse(response)) {
            List<String> problems = RecoveryCapital.problems(response);
            if (!problems.isEmpty()) {
                throw Refusals.unprocessable(INCOMPLETE, String.join("; ", problems));
            }
        }
    }
}
