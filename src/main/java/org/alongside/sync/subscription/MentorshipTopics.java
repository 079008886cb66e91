package org.alongside.sync.subscription;

import static org.alongside.mentorship.MentorshipCodes.CRISIS_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.HCPCS;
import static org.alongside.mentorship.MentorshipCodes.PEER_SERVICES;
import static org.alongside.mentorship.MentorshipCodes.REFERRAL_TO_PEER_SUPPORT;
import static org.alongside.mentorship.MentorshipCodes.SNOMED;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Task;

/**
 * The mentorship events a client can subscribe to, as they show in the records (docs/mentorship.md): an assignment
 * is the peer support referral (ServiceRequest), a session its Encounter, a supervisor's review a Provenance on the
 * session (a co-signature has a verifier agent; a return has the activity review-outcome#returned), an "I'm
 * worried" escalation its Task. Pure; {@code fhir-profiles/Basic/} publishes the same topics, and a unit test keeps
 * the two in step.
 */
public final class MentorshipTopics {

    static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    static final String REVIEW_OUTCOME = "http://alongside.health/fhir/CodeSystem/review-outcome";
    static final String WORRIED = "peer-worried";

    private static final Predicate<Optional<IBaseResource>> CREATED = Optional::isEmpty;

    public static final Topic ASSIGNMENT_STARTED = new Topic("peer-mentor-assigned", "Peer mentor assigned",
            "A peer mentor's assignment started: a peer support referral (ServiceRequest, SNOMED 461481000124109)"
                    + " became active (written by $assign-peer-mentor or $transfer-peer-mentor).",
            "ServiceRequest", r -> isReferral(r) && status(r) == ServiceRequestStatus.ACTIVE,
            previous -> previous.isEmpty() || status(previous.get()) != ServiceRequestStatus.ACTIVE, "patient");

    public static final Topic ASSIGNMENT_ENDED = new Topic("peer-mentor-assignment-ended",
            "Peer mentor assignment ended",
            "A peer mentor's assignment ended: an active peer support referral became completed or revoked"
                    + " ($end-peer-mentorship, $transfer-peer-mentor).",
            "ServiceRequest", r -> isReferral(r) && (status(r) == ServiceRequestStatus.COMPLETED
                    || status(r) == ServiceRequestStatus.REVOKED),
            previous -> previous.isPresent() && status(previous.get()) == ServiceRequestStatus.ACTIVE, "patient");

    public static final Topic SESSION_RECORDED = new Topic("peer-session-recorded", "Peer support session recorded",
            "A peer support session was recorded: an Encounter typed HCPCS H0038 was created ($record-peer-session or"
                    + " a plain create).",
            "Encounter", r -> ((Encounter) r).getType().stream().anyMatch(t -> has(t, HCPCS, PEER_SERVICES)), CREATED,
            "patient");

    public static final Topic NOTE_COSIGNED = new Topic("session-cosigned", "Session note co-signed",
            "A supervisor co-signed a session note: a Provenance with a verifier agent on a session or note was"
                    + " created (profile session-cosignature).",
            "Provenance", r -> ((Provenance) r).getAgent().stream()
                    .anyMatch(a -> has(a.getType(), PROVENANCE_PARTICIPANT, "verifier")), CREATED,
            "target:Encounter.patient");

    public static final Topic NOTE_RETURNED = new Topic("session-returned", "Session note returned",
            "A supervisor returned a session note to the peer for changes: a Provenance with activity"
                    + " review-outcome#returned on a session or note was created.",
            "Provenance", r -> has(((Provenance) r).getActivity(), REVIEW_OUTCOME, "returned"), CREATED,
            "target:Encounter.patient");

    public static final Topic ESCALATION_OPENED = new Topic("escalation-opened", "Escalation opened",
            "A peer specialist raised an \"I'm worried\" escalation: a Task with code crisis-support#peer-worried was"
                    + " created (Patient/[id]/$escalate).",
            "Task", r -> has(((Task) r).getCode(), CRISIS_SUPPORT, WORRIED), CREATED, "patient");

    public static final List<Topic> ALL = List.of(ASSIGNMENT_STARTED, ASSIGNMENT_ENDED, SESSION_RECORDED,
            NOTE_COSIGNED, NOTE_RETURNED, ESCALATION_OPENED);

    private MentorshipTopics() {
    }

    public static Optional<Topic> byUrl(String url) {
        return ALL.stream().filter(t -> t.url().equals(url)).findFirst();
    }

    private static boolean isReferral(IBaseResource resource) {
        return has(((ServiceRequest) resource).getCode(), SNOMED, REFERRAL_TO_PEER_SUPPORT);
    }

    private static ServiceRequestStatus status(IBaseResource resource) {
        return ((ServiceRequest) resource).getStatus();
    }

    private static boolean has(CodeableConcept concept, String system, String code) {
        return concept != null && concept.getCoding().stream()
                .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }
}
