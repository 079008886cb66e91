package org.alongside.cds;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Date;
import org.alongside.mentorship.AssignmentService;
import org.alongside.security.Caller;
import org.alongside.security.OperationAccess;
import org.alongside.security.RequestAccess;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Carries out an accepted referral suggestion: the assignment {@code $assign-peer-mentor} makes, with the same access
 * check and the same service, as the EHR that accepted it, in one transaction with marking the suggestion accepted
 * (a refused assignment leaves it open; a suggestion is carried out once).
 */
@ApplicationScoped
public class ReferralAcceptance {

    @Inject
    PendingSuggestions pending;

    @Inject
    OperationAccess operations;

    @Inject
    AssignmentService assignments;

    @Transactional
    public void accept(String suggestionId, VerifiedClient client, Caller caller) {
        PendingSuggestions.Pending suggestion = pending.accept(suggestionId, client.issuer(), client.clientId(),
                Instant.now()).orElseThrow(() -> new ResourceNotFoundException(
                        "No open suggestion " + suggestionId + " for this EHR (unknown, expired or already accepted)"));
        RequestAccess.asCaller(caller, () -> {
            operations.requireOperation("$assign-peer-mentor", "CarePlan", suggestion.carePlanId());
            return assignments.assign(suggestion.carePlanId(), new Reference(suggestion.peer()),
                    new Reference(suggestion.assigner()),
                    new DateType(new Date()).getValue(), // today, as $assign-peer-mentor without a start
                    "Referred at discharge: suggestion accepted in the EHR (CDS Hooks)");
        });
    }
}
