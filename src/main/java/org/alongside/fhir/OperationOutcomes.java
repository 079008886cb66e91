package org.alongside.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;

/** Small OperationOutcomes that report what a successful interaction did. */
final class OperationOutcomes {

    private OperationOutcomes() {
    }

    static OperationOutcome information(String text) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(text);
        return outcome;
    }
}
