package org.alongside.cds;

import static org.alongside.cds.CdsServiceCatalog.CONDITIONS;
import static org.alongside.cds.CdsServiceCatalog.PEER_ASSIGNMENTS;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.alongside.mentorship.MatchingService;
import org.alongside.security.Caller;
import org.alongside.security.OperationAccess;
import org.alongside.security.RequestAccess;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * Answers the encounter-discharge hook: when the person has a substance-use or mental-health condition (the EHR's
 * prefetched active Conditions, or else what Alongside's care plans address) and no peer mentor (prefetch, or
 * Alongside's records), a card suggests the best-matched peer ({@code $match-peer-mentor}'s first) for the person's
 * care plan in Alongside. What accepting the suggestion does is stored ({@link PendingSuggestions}) for the feedback
 * that reports it. Everything is read as the request's caller; matching is checked as the operation is.
 */
@ApplicationScoped
public class ReferralService {

    /** How long an offered suggestion can still be accepted. */
    static final Duration SUGGESTION_LIFETIME = Duration.ofHours(24);

    @Inject
    AlongsideReading alongside;

    @Inject
    MatchingService matching;

    @Inject
    OperationAccess operations;

    @Inject
    PendingSuggestions pending;

    @Inject
    CdsConfig config;

    @Inject
    FhirContext fhirContext;

    public Optional<JsonObject> card(CdsRequest request, VerifiedClient client, Caller caller, String serverRoot) {
        PrefetchReading prefetch = new PrefetchReading(fhirContext);
        String patient = request.patientId();
        Instant now = Instant.now();
        return RequestAccess.asCaller(caller, () -> {
            List<CarePlan> plans = alongside.activePlans(patient);
            Set<String> areas = request.prefetched(CONDITIONS)
                    .map(bundle -> prefetch.conditionAreas(CONDITIONS, bundle))
                    .orElseGet(() -> plans.stream().flatMap(plan -> MatchingService.planAreas(plan).stream())
                            .collect(Collectors.toCollection(TreeSet::new)));
            if (areas.isEmpty()) {
                return Optional.empty();
            }
            PeerSupportFacts.Assignment assignment = request.prefetched(PEER_ASSIGNMENTS)
                    .map(bundle -> prefetch.assignment(PEER_ASSIGNMENTS, bundle))
                    .orElseGet(() -> alongside.assignment(patient));
            if (assignment.mentor().isPresent()) {
                return Optional.empty();
            }
            Optional<String> plan = plans.stream().findFirst().map(p -> p.getIdElement().getIdPart());
            Optional<ReferralCard.Match> match = plan.flatMap(this::bestMatch);
            Optional<String> assigner = request.contextString("userId")
                    .filter(user -> user.matches("(Practitioner|PractitionerRole)/[A-Za-z0-9\\-.]{1,64}"));
            Optional<String> suggestion = Optional.empty();
            if (match.isPresent() && assigner.isPresent()) {
                suggestion = Optional.of(UUID.randomUUID().toString());
                pending.removeExpired(now);
                pending.save(new PendingSuggestions.Pending(suggestion.get(), client.issuer(), client.clientId(),
                        plan.get(), match.get().peer(), assigner.get(), now.plus(SUGGESTION_LIFETIME)));
            }
            return Optional.of(ReferralCard.build(patient, areas, plan, match, suggestion, assigner,
                    config.appLaunchUrl().orElse(serverRoot + "/app/launch.html")));
        });
    }

    /** The first of {@code $match-peer-mentor}'s ranking, when the caller may ask for it. */
    private Optional<ReferralCard.Match> bestMatch(String carePlanId) {
        try {
            operations.requireOperation("$match-peer-mentor", "CarePlan", carePlanId);
            Parameters ranked = matching.match(carePlanId, 1);
            return ranked.getParameter().stream().filter(p -> "match".equals(p.getName())).findFirst().map(m -> {
                Reference peer = (Reference) m.getPart().stream().filter(p -> "peer".equals(p.getName())).findFirst()
                        .orElseThrow().getValue();
                List<String> reasons = m.getPart().stream().filter(p -> "reason".equals(p.getName()))
                        .map(r -> r.getPart().get(1).getValue().primitiveValue()).toList();
                return new ReferralCard.Match(peer.getReference(), alongside.mentorName(peer), reasons);
            });
        } catch (BaseServerResponseException refused) {
            return Optional.empty(); // no match to offer: the card still says a referral is due, with the link
        }
    }
}
