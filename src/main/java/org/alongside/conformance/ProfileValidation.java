package org.alongside.conformance;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Refuses (422) a write of a resource that claims an Alongside profile, or plays a mentorship role, and does
 * not conform to it. The OperationOutcome names each wrong element. Other resources pass unvalidated, so
 * ordinary EHR data is never held to profiles it does not claim.
 */
@ApplicationScoped
public class ProfileValidation implements WriteCheck {

    @Inject
    ProfileValidator validator;

    @Override
    public void check(IBaseResource resource) {
        if (validator.applicableProfiles(resource).isEmpty()) {
            return;
        }
        ValidationResult result = validator.validate(resource);
        if (!result.isValid()) {
            String errors = String.join("; ", result.errors().stream()
                    .map(e -> e.getLocationString() + ": " + e.getMessage()).toList());
            throw new UnprocessableEntityException("The resource does not conform to "
                    + String.join(", ", result.profiles()) + ": " + errors, result.toOperationOutcome());
        }
    }
}
