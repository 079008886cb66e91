package org.alongside.mentorship;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Refusals of the mentorship rules with a machine-readable reason: issue.details.coding from the refusal-reason code
 * system (fhir-profiles/CodeSystem/refusal-reason.json), next to the diagnostics an integrator reads. Clients such as
 * the web app show their own translated words for the code and never the diagnostics, which name ids and rules.
 */
final class Refusals {

    static final String SYSTEM = MentorshipCodes.BASE + "/CodeSystem/refusal-reason";

    private Refusals() {
    }

    /** A 422 (business rule) with the reason code. */
    static UnprocessableEntityException unprocessable(String code, String diagnostics) {
        return new UnprocessableEntityException(diagnostics, outcome(OperationOutcome.IssueType.BUSINESSRULE, code,
                diagnostics));
    }

    /** A 409 (the request conflicts with what is recorded) with the reason code. */
    static BaseServerResponseException conflict(String code, String diagnostics) {
        return new UnclassifiedServerFailureException(409, diagnostics, outcome(OperationOutcome.IssueType.CONFLICT,
                code, diagnostics));
    }

    private static OperationOutcome outcome(OperationOutcome.IssueType type, String code, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type)
                .setDetails(new CodeableConcept(new Coding(SYSTEM, code, null)))
                .setDiagnostics(diagnostics);
        return outcome;
    }
}
