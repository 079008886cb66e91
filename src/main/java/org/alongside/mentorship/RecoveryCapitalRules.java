package org.alongside.mentorship;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * A BARC-10 response is stored only when it can be scored ({@link RecoveryCapital#problems}): every item answered
 * once, on the scale. However it arrives (the operation, a plain create or update, a Bundle entry), an incomplete
 * one is a 422 and nothing is written: one issue per problem, each at {@code QuestionnaireResponse.item} with the
 * reason code {@code assessment-incomplete}. The profile recovery-capital-response says the same in FHIR terms; this
 * rule adds what a profile cannot (each linkId exactly once).
 */
@ApplicationScoped
public class RecoveryCapitalRules implements WriteCheck {

    static final String INCOMPLETE = "assessment-incomplete";
    static final String WHERE = "QuestionnaireResponse.item";

    @Override
    public void check(IBaseResource resource) {
        if (resource instanceof QuestionnaireResponse response && RecoveryCapital.isResponse(response)) {
            List<String> problems = RecoveryCapital.problems(response);
            if (!problems.isEmpty()) {
                OperationOutcome outcome = new OperationOutcome();
                for (String problem : problems) {
                    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                            .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                            .setDetails(new CodeableConcept(new Coding(Refusals.SYSTEM, INCOMPLETE, null)))
                            .setDiagnostics(problem).addExpression(WHERE);
                }
                throw new UnprocessableEntityException(String.join("; ", problems), outcome);
            }
        }
    }
}
