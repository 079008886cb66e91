package org.alongside.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.alongside.mentorship.EscalationService;
import org.alongside.mentorship.MatchingService;
import org.alongside.mentorship.MentorshipCodes;
import org.alongside.mentorship.RecoveryCapital;
import org.alongside.mentorship.SessionRules;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Reads the facts from the search Bundles the EHR prefetched with the discovery document's templates (pure: no
 * store, no caller). This is the EHR's own copy of the records, so nothing here discloses anything to it. Elements
 * Alongside does not know are skipped, not refused: an EHR's server may add its own.
 */
final class PrefetchReading {

    private final IParser parser;

    PrefetchReading(FhirContext context) {
        this.parser = context.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    }

    PeerSupportFacts.Assignment assignment(String key, JsonObject bundle) {
        Bundle read = bundle(key, bundle);
        List<Resource> resources = resources(read).toList();
        return resources.stream().filter(ServiceRequest.class::isInstance).map(ServiceRequest.class::cast)
                .filter(PrefetchReading::isActiveAssignment).findFirst()
                .map(request -> new PeerSupportFacts.Assignment(Optional.of(mentorName(request, resources)),
                        carePlanOf(request)))
                .orElse(PeerSupportFacts.Assignment.NONE);
    }

    Optional<Instant> lastContact(String sessionsKey, JsonObject sessions, String messagesKey, JsonObject messages,
                                  Instant now) {
        Stream<Instant> ended = resources(bundle(sessionsKey, sessions)).filter(Encounter.class::isInstance)
                .map(Encounter.class::cast).filter(PrefetchReading::isContact)
                .map(e -> e.getPeriod().getEnd().toInstant());
        Stream<Instant> sent = resources(bundle(messagesKey, messages)).filter(Communication.class::isInstance)
                .map(Communication.class::cast).filter(Communication::hasSent).map(c -> c.getSent().toInstant());
        return Stream.concat(ended, sent).filter(when -> !when.isAfter(now)).max(Instant::compareTo);
    }

    int openEscalations(String key, JsonObject bundle) {
        return (int) resources(bundle(key, bundle)).filter(Flag.class::isInstance).map(Flag.class::cast)
                .filter(PrefetchReading::isOpenEscalation).count();
    }

    /**
     * The first and latest recovery capital scores, from the two prefetched searches (each the one score at its end of
     * the person's history); the change is counted only when they are two different scores.
     */
    Optional<RecoveryCapital.Trend> recovery(String firstKey, JsonObject first, String latestKey, JsonObject latest) {
        List<Observation> scores = new java.util.ArrayList<>();
        resources(bundle(firstKey, first)).filter(Observation.class::isInstance).map(Observation.class::cast)
                .forEach(scores::add);
        resources(bundle(latestKey, latest)).filter(Observation.class::isInstance).map(Observation.class::cast)
                .filter(o -> scores.stream().noneMatch(s -> refOf(s).equals(refOf(o)))).forEach(scores::add);
        return RecoveryCapital.trend(scores);
    }

    int openAlerts(String key, JsonObject bundle) {
        return (int) resources(bundle(key, bundle)).filter(Task.class::isInstance).map(Task.class::cast)
                .filter(PrefetchReading::isOpenAlert).count();
    }

    /** An engagement alert (no peer contact for too long) that is still open. */
    static boolean isOpenAlert(Task task) {
        return task.getCode().hasCoding(MentorshipCodes.ENGAGEMENT_ALERT, MentorshipCodes.NO_PEER_CONTACT)
                && task.getStatus() != null
                && List.of(CdsServiceCatalog.OPEN_ALERT_STATUSES.split(",")).contains(task.getStatus().toCode());
    }

    /** An "I'm worried" flag that nobody has closed yet. */
    static boolean isOpenEscalation(Flag flag) {
        return flag.getStatus() == Flag.FlagStatus.ACTIVE
                && flag.getCode().hasCoding(MentorshipCodes.CRISIS_SUPPORT, EscalationService.WORRIED);
    }

    /** What the EHR's active conditions are about (ICD-10-CM F codes: substance use, mental health). */
    Set<String> conditionAreas(String key, JsonObject bundle) {
        Set<String> areas = new TreeSet<>();
        resources(bundle(key, bundle)).filter(Condition.class::isInstance).map(Condition.class::cast)
                .flatMap(condition -> condition.getCode().getCoding().stream())
                .forEach(coding -> MatchingService.areaOf(coding).ifPresent(areas::add));
        return areas;
    }

    static boolean isActiveAssignment(ServiceRequest request) {
        return request.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE && request.getCode().getCoding()
                .stream().anyMatch(c -> MentorshipCodes.SNOMED.equals(c.getSystem())
                        && MentorshipCodes.REFERRAL_TO_PEER_SUPPORT.equals(c.getCode()));
    }

    static Optional<String> carePlanOf(ServiceRequest request) {
        return request.getBasedOn().stream().map(Reference::getReference)
                .filter(ref -> ref != null && ref.startsWith("CarePlan/")).findFirst()
                .map(ref -> ref.substring("CarePlan/".length()).split("/")[0]);
    }

    private static boolean isContact(Encounter session) {
        return SessionRules.isPeerSession(session) && session.getStatus() != Encounter.EncounterStatus.ENTEREDINERROR
                && session.getPeriod().hasEnd();
    }

    /** The performer's display, else the included role's practitioner's name, else the reference itself. */
    private static String mentorName(ServiceRequest request, List<Resource> included) {
        Reference performer = request.getPerformerFirstRep();
        if (performer.hasDisplay()) {
            return performer.getDisplay();
        }
        String ref = performer.getReference();
        Optional<String> practitioner = included.stream().filter(PractitionerRole.class::isInstance)
                .map(PractitionerRole.class::cast).filter(role -> ref != null && ref.equals(refOf(role)))
                .map(role -> role.getPractitioner().getReference()).findFirst();
        String practitionerRef = practitioner.orElse(ref);
        return included.stream().filter(Practitioner.class::isInstance).map(Practitioner.class::cast)
                .filter(p -> practitionerRef != null && practitionerRef.equals(refOf(p))).findFirst()
                .map(p -> nameOf(p.getNameFirstRep())).filter(name -> !name.isBlank())
                .orElse(ref == null ? "assigned" : ref);
    }

    static String nameOf(HumanName name) {
        return name.hasText() ? name.getText() : name.getNameAsSingleString();
    }

    private Bundle bundle(String key, JsonObject json) {
        try {
            if (parser.parseResource(json.toString()) instanceof Bundle bundle) {
                return bundle;
            }
        } catch (DataFormatException e) {
            // answered below, without the parser's words (they may quote the record)
        }
        throw new CdsRequest.Invalid("prefetch." + key + " must be a FHIR Bundle");
    }

    private static Stream<Resource> resources(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null);
    }

    private static String refOf(Resource resource) {
        return resource.getIdElement().toUnqualifiedVersionless().getValue();
    }
}
