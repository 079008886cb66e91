package org.alongside.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/**
 * Outcome of {@link ProfileValidator#validate}: the issues found and the profiles the resource was checked
 * against. Only ERROR and FATAL issues make a resource invalid; warnings and information do not. Immutable.
 */
public final class ValidationResult {

    private final FhirContext context;
    private final List<String> profiles;
    private final List<SingleValidationMessage> messages;

    ValidationResult(FhirContext context, List<String> profiles, List<SingleValidationMessage> messages) {
        this.context = context;
        this.profiles = List.copyOf(profiles);
        // most severe first, the validator's order kept within a severity: clients show a refusal's first issue
        this.messages = messages.stream()
                .sorted(java.util.Comparator.comparingInt(ValidationResult::rank)).toList();
    }

    private static int rank(SingleValidationMessage message) {
        ResultSeverityEnum severity = message.getSeverity();
        return severity == null ? ResultSeverityEnum.values().length : -severity.ordinal();
    }

    /** True when no issue has severity ERROR or FATAL. */
    public boolean isValid() {
        return errors().isEmpty();
    }

    /** Profile URLs the resource was validated against (empty: base R4 only). */
    public List<String> profiles() {
        return profiles;
    }

    /** Every issue, all severities, the most severe first. */
    public List<SingleValidationMessage> messages() {
        return messages;
    }

    /** Issues of severity ERROR or FATAL. */
    public List<SingleValidationMessage> errors() {
        List<SingleValidationMessage> errors = new ArrayList<>();
        for (SingleValidationMessage message : messages) {
            if (isError(message)) {
                errors.add(message);
            }
        }
        return errors;
    }

    /** The issues as an R4 OperationOutcome (one informational issue when there is nothing to report). */
    public IBaseOperationOutcome toOperationOutcome() {
        return new ca.uhn.fhir.validation.ValidationResult(context, new ArrayList<>(messages)).toOperationOutcome();
    }

    /** One line per issue: {@code SEVERITY location: message}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (SingleValidationMessage message : messages) {
            text.append(message.getSeverity())
                    .append(' ')
                    .append(message.getLocationString())
                    .append(": ")
                    .append(message.getMessage())
                    .append('\n');
        }
        return text.toString();
    }

    static boolean isError(SingleValidationMessage message) {
        ResultSeverityEnum severity = message.getSeverity();
        return severity == ResultSeverityEnum.ERROR || severity == ResultSeverityEnum.FATAL;
    }

    @Override
    public String toString() {
        return "ValidationResult{valid=" + isValid() + ", profiles=" + profiles + ", issues=" + messages.size() + "}";
    }
}
