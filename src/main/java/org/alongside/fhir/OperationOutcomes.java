package org.alongside.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;

/** Small OperationOutcomes with one issue, for answers written outside HAPI's exception handling. */
final class OperationOutcomes {

    private OperationOutcomes() {
    }

    static OperationOutcome information(String text) {
        return single(OperationOutcome.IssueSeverity.INFORMATION, OperationOutcome.IssueType.INFORMATIONAL, text);
    }

    static OperationOutcome error(OperationOutcome.IssueType type, String text) {
        return single(OperationOutcome.IssueSeverity.ERROR, type, text);
    }

    private static OperationOutcome single(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type,
                                           String text) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(text);
        return outcome;
    }
}
