package org.alongside.cds;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import org.alongside.mentorship.RecoveryCapital;
import org.alongside.security.Caller;
import org.alongside.security.RequestAccess;

import static org.alongside.cds.CdsServiceCatalog.ENGAGEMENT_ALERTS;
import static org.alongside.cds.CdsServiceCatalog.FIRST_RECOVERY_SCORE;
import static org.alongside.cds.CdsServiceCatalog.LATEST_RECOVERY_SCORE;
import static org.alongside.cds.CdsServiceCatalog.OPEN_ESCALATIONS;
import static org.alongside.cds.CdsServiceCatalog.PEER_ASSIGNMENTS;
import static org.alongside.cds.CdsServiceCatalog.PEER_MESSAGES;
import static org.alongside.cds.CdsServiceCatalog.PEER_SESSIONS;

/**
 * Answers the patient-view hook. Each fact comes from the EHR's prefetch when it sent that key, and otherwise from
 * Alongside's records read as the request's caller ({@link AlongsideReading}); the last contact needs both the
 * sessions and the messages keys, the recovery trend both score keys, or they are read from Alongside.
 */
@ApplicationScoped
public class PatientViewService {

    @Inject
    AlongsideReading alongside;

    @Inject
    CdsConfig config;

    @Inject
    FhirContext fhirContext;

    /**
     * @param serverRoot this server's root URL as the EHR reaches it (the app and the FHIR base are below it)
     */
    public Optional<JsonObject> card(CdsRequest request, Caller caller, String serverRoot) {
        Instant now = Instant.now();
        PrefetchReading prefetch = new PrefetchReading(fhirContext);
        String patient = request.patientId();
        PeerSupportFacts facts = RequestAccess.asCaller(caller, () -> {
            PeerSupportFacts.Assignment assignment = request.prefetched(PEER_ASSIGNMENTS)
                    .map(bundle -> prefetch.assignment(PEER_ASSIGNMENTS, bundle))
                    .orElseGet(() -> alongside.assignment(patient));
            Optional<JsonObject> sessions = request.prefetched(PEER_SESSIONS);
            Optional<JsonObject> messages = request.prefetched(PEER_MESSAGES);
            Optional<Instant> lastContact = sessions.isPresent() && messages.isPresent()
                    ? prefetch.lastContact(PEER_SESSIONS, sessions.get(), PEER_MESSAGES, messages.get(), now)
                    : assignment.carePlanId().flatMap(plan -> alongside.lastContact(plan, now, serverRoot + "/fhir"));
            int escalations = request.prefetched(OPEN_ESCALATIONS)
                    .map(bundle -> prefetch.openEscalations(OPEN_ESCALATIONS, bundle))
                    .orElseGet(() -> alongside.openEscalations(patient));
            Optional<JsonObject> first = request.prefetched(FIRST_RECOVERY_SCORE);
            Optional<JsonObject> latest = request.prefetched(LATEST_RECOVERY_SCORE);
            Optional<RecoveryCapital.Trend> recovery = first.isPresent() && latest.isPresent()
                    ? prefetch.recovery(FIRST_RECOVERY_SCORE, first.get(), LATEST_RECOVERY_SCORE, latest.get())
                    : alongside.recovery(patient);
            int alerts = request.prefetched(ENGAGEMENT_ALERTS)
                    .map(bundle -> prefetch.openAlerts(ENGAGEMENT_ALERTS, bundle))
                    .orElseGet(() -> alongside.openAlerts(patient));
            return PeerSupportFacts.of(assignment, lastContact, escalations, recovery, alerts);
        });
        return PatientViewCard.build(facts, now, config.overdueDays(),
                config.appLaunchUrl().orElse(serverRoot + "/app/launch.html"));
    }
}
