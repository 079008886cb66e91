package org.alongside.cds;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.mentorship.MentorshipCodes;
import org.alongside.mentorship.RecoveryCapital;
import org.alongside.mentorship.SideBySideService;
import org.alongside.search.SearchRequestParser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Reads the facts from Alongside's own records when the EHR did not prefetch them: through the
 * {@link InteractionPipeline} as the request's caller, so scopes, reach, Part 2 consent and the audit trail apply as
 * to a REST search. A record the caller may not read is not there for the card: it neither shows nor counts.
 */
@ApplicationScoped
public class AlongsideReading {

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchRequestParser parser;

    @Inject
    SideBySideService sideBySide;

    PeerSupportFacts.Assignment assignment(String patientId) {
        return search("ServiceRequest", Map.of("patient", "Patient/" + patientId, "code",
                MentorshipCodes.SNOMED + "|" + MentorshipCodes.REFERRAL_TO_PEER_SUPPORT, "status", "active")).stream()
                .map(ServiceRequest.class::cast).filter(PrefetchReading::isActiveAssignment).findFirst()
                .map(request -> new PeerSupportFacts.Assignment(Optional.of(mentorName(request.getPerformerFirstRep())),
                        PrefetchReading.carePlanOf(request)))
                .orElse(PeerSupportFacts.Assignment.NONE);
    }

    /** The last contact as the side-by-side view counts it (sessions of the plan, messages to the person). */
    Optional<Instant> lastContact(String carePlanId, Instant now, String fhirBase) {
        try {
            Bundle view = sideBySide.view(carePlanId, now, fhirBase);
            Parameters summary = (Parameters) view.getEntryFirstRep().getResource();
            return summary.getParameter().stream().filter(p -> "lastContact".equals(p.getName()))
                    .map(p -> ((DateTimeType) p.getValue()).getValue().toInstant()).findFirst();
        } catch (BaseServerResponseException notVisible) {
            return Optional.empty(); // a plan the caller may not read has no contacts to tell
        }
    }

    /** The person's active care plans the caller may read. */
    List<CarePlan> activePlans(String patientId) {
        return search("CarePlan", Map.of("subject", "Patient/" + patientId, "status", "active")).stream()
                .map(CarePlan.class::cast).toList();
    }

    int openEscalations(String patientId) {
        // R4 has no status or code search parameter on Flag: the person's flags, then the open escalations among them
        return (int) search("Flag", Map.of("patient", "Patient/" + patientId)).stream().map(Flag.class::cast)
                .filter(PrefetchReading::isOpenEscalation).count();
    }

    /** The person's recovery capital scores the caller may read, first and latest. */
    Optional<RecoveryCapital.Trend> recovery(String patientId) {
        return RecoveryCapital.trend(search("Observation", Map.of("patient", "Patient/" + patientId, "code",
                RecoveryCapital.CODE_SYSTEM + "|" + RecoveryCapital.TOTAL, "_count", "1000")).stream()
                .map(Observation.class::cast).toList());
    }

    /** Open engagement alerts about the person that the caller may read. */
    int openAlerts(String patientId) {
        return (int) search("Task", Map.of("patient", "Patient/" + patientId, "code", MentorshipCodes.ENGAGEMENT_ALERT
                + "|" + MentorshipCodes.NO_PEER_CONTACT, "status", CdsServiceCatalog.OPEN_ALERT_STATUSES)).stream()
                .map(Task.class::cast).filter(PrefetchReading::isOpenAlert).count();
    }

    private List<IBaseResource> search(String type, Map<String, String> parameters) {
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        parameters.forEach((name, value) -> query.put(name, List.of(value)));
        return pipeline.search(parser.parse(type, query, null, false), List.of()).matches();
    }

    /** The peer's name from the directory, as the caller may read it; the reference's display otherwise. */
    String mentorName(Reference performer) {
        try {
            String ref = performer.getReference();
            if (ref != null && ref.startsWith("PractitionerRole/")) {
                PractitionerRole role = (PractitionerRole) pipeline.read("PractitionerRole", idOf(ref));
                ref = role.getPractitioner().getReference();
            }
            if (ref != null && ref.startsWith("Practitioner/")) {
                Practitioner practitioner = (Practitioner) pipeline.read("Practitioner", idOf(ref));
                String name = PrefetchReading.nameOf(practitioner.getNameFirstRep());
                if (!name.isBlank()) {
                    return name;
                }
            }
        } catch (BaseServerResponseException notReadable) {
            // the directory entry is gone or not the caller's to read: fall back to what the request says
        }
        return performer.hasDisplay() ? performer.getDisplay() : "assigned";
    }

    private static String idOf(String reference) {
        return reference.split("/")[1];
    }
}
