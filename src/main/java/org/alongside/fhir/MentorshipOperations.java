package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.alongside.mentorship.AssignmentService;
import org.alongside.mentorship.EscalationService;
import org.alongside.mentorship.MatchingService;
import org.alongside.mentorship.NoteFormat;
import org.alongside.mentorship.SessionService;
import org.alongside.mentorship.SideBySideService;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * The mentorship workflow as FHIR operations (documented in docs/mentorship.md and the CapabilityStatement).
 * Each delegates to one transactional service; this class only maps parameters and results. The parameters have
 * been checked against these declarations by {@link OperationParameters} (required ones present, types, referenced
 * resources exist) before a method here runs.
 */
public class MentorshipOperations {

    private static final int DEFAULT_MATCHES = 5;
    private static final int MAX_MATCHES = 50;

    private final AssignmentService assignments;
    private final SessionService sessions;
    private final SideBySideService sideBySide;
    private final MatchingService matching;
    private final EscalationService escalations;

    MentorshipOperations(AssignmentService assignments, SessionService sessions, SideBySideService sideBySide,
                         MatchingService matching, EscalationService escalations) {
        this.assignments = assignments;
        this.sessions = sessions;
        this.sideBySide = sideBySide;
        this.matching = matching;
        this.escalations = escalations;
    }

    /** Assigns a peer mentor (an active peer specialist PractitionerRole) within the care plan. */
    @Operation(name = "$assign-peer-mentor", type = CarePlan.class)
    public Bundle assign(@IdParam IdType carePlan,
                         @OperationParam(name = "peer", min = 1, max = 1) Reference peer,
                         @OperationParam(name = "assigner", min = 1, max = 1) Reference assigner,
                         @OperationParam(name = "start", max = 1) DateType start,
                         @OperationParam(name = "note", max = 1) StringType note, RequestDetails request) {
        return written(assignments.assign(carePlan.getIdPart(), peer, assigner, dateOrToday(start), text(note))
                .written(), request);
    }

    /** Ends the current peer's assignment (reason "transferred") and assigns another, atomically. */
    @Operation(name = "$transfer-peer-mentor", type = CarePlan.class)
    public Bundle transfer(@IdParam IdType carePlan,
                           @OperationParam(name = "from", min = 1, max = 1) Reference from,
                           @OperationParam(name = "to", min = 1, max = 1) Reference to,
                           @OperationParam(name = "assigner", min = 1, max = 1) Reference assigner,
                           @OperationParam(name = "date", max = 1) DateType date,
                           @OperationParam(name = "note", max = 1) StringType note, RequestDetails request) {
        return written(assignments.transfer(carePlan.getIdPart(), from, to, assigner, dateOrToday(date), text(note))
                .written(), request);
    }

    /** Ends a peer's assignment with a reason from the end-reason code system. */
    @Operation(name = "$end-peer-mentorship", type = CarePlan.class)
    public Bundle end(@IdParam IdType carePlan,
                      @OperationParam(name = "peer", min = 1, max = 1) Reference peer,
                      @OperationParam(name = "reason", min = 1, max = 1) Coding reason,
                      @OperationParam(name = "assigner", min = 1, max = 1) Reference assigner,
                      @OperationParam(name = "date", max = 1) DateType date,
                      @OperationParam(name = "note", max = 1) StringType note, RequestDetails request) {
        return written(assignments.end(carePlan.getIdPart(), peer, reason, assigner, dateOrToday(date), text(note))
                .written(), request);
    }

    /** Therapy and peer support of one plan on one timeline, with a summary first. */
    @Operation(name = "$side-by-side", type = CarePlan.class, idempotent = true)
    public Bundle sideBySide(@IdParam IdType carePlan, RequestDetails request) {
        return sideBySide.view(carePlan.getIdPart(), Instant.now(), request.getFhirServerBase());
    }

    /** The peers who can take the plan's person, best match first, each with the reasons for its place. */
    @Operation(name = "$match-peer-mentor", type = CarePlan.class, idempotent = true)
    public Parameters matchPeerMentor(@IdParam IdType carePlan,
                                      @OperationParam(name = "count", max = 1) IntegerType count) {
        int wanted = count == null || count.getValue() == null ? DEFAULT_MATCHES : count.getValue();
        if (wanted < 1 || wanted > MAX_MATCHES) {
            throw new InvalidRequestException("Parameter 'count' of $match-peer-mentor must be between 1 and "
                    + MAX_MATCHES);
        }
        return matching.match(carePlan.getIdPart(), wanted);
    }

    /** Records a peer support session (one patient, or several for a group session). */
    @Operation(name = "$record-peer-session", type = Encounter.class)
    public Bundle recordSession(
            @OperationParam(name = "patient", min = 1) List<Reference> patients,
            @OperationParam(name = "peer", min = 1, max = 1) Reference peer,
            @OperationParam(name = "start", min = 1, max = 1) DateTimeType start,
            @OperationParam(name = "end", min = 1, max = 1) DateTimeType end,
            @OperationParam(name = "modality", min = 1, max = 1) StringType modality,
            @OperationParam(name = "location", max = 1) StringType location,
            @OperationParam(name = "focus") List<Coding> focus,
            @OperationParam(name = "goal") List<Reference> goals,
            @OperationParam(name = "whatWasDone", max = 1) StringType whatWasDone,
            @OperationParam(name = "response", max = 1) StringType response,
            @OperationParam(name = "nextSteps", max = 1) StringType nextSteps,
            @OperationParam(name = "clientKey", max = 1) StringType clientKey,
            @OperationParam(name = "format", max = 1) CodeType format,
            @OperationParam(name = "goalNote", max = 1) StringType goalNote, RequestDetails request) {
        SessionService.SessionNote note = new SessionService.SessionNote(patients, peer, start.getValue(),
                end.getValue(), SessionService.Modality.of(text(modality)), text(location),
                focus == null ? List.of() : focus, goals == null ? List.of() : goals, text(whatWasDone),
                text(response), text(nextSteps), text(clientKey),
                NoteFormat.of(format == null ? null : format.getValue()), text(goalNote));
        return written(sessions.record(note), request);
    }

    /** "I'm worried": an urgent Task for the care team's clinician and a Flag on the person, until acknowledged. */
    @Operation(name = "$escalate", type = Patient.class)
    public Bundle escalate(@IdParam IdType patient,
                           @OperationParam(name = "what", min = 1, max = 1) StringType what,
                           @OperationParam(name = "urgency", min = 1, max = 1) CodeType urgency,
                           @OperationParam(name = "requester", min = 1, max = 1) Reference requester,
                           @OperationParam(name = "clientKey", max = 1) StringType clientKey, RequestDetails request) {
        return written(escalations.escalate(new EscalationService.Worry(patient.getIdPart(), text(what),
                EscalationService.Urgency.of(urgency.getValue()), requester, text(clientKey))), request);
    }

    private static Bundle written(List<IBaseResource> resources, RequestDetails request) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setId(UUID.randomUUID().toString());
        for (IBaseResource resource : resources) {
            bundle.addEntry().setFullUrl(request.getFhirServerBase() + "/"
                            + resource.getIdElement().toUnqualifiedVersionless().getValue())
                    .setResource((Resource) resource);
        }
        return bundle;
    }

    private static Date dateOrToday(DateType date) {
        return date == null || date.getValue() == null ? new DateType(new Date()).getValue() : date.getValue();
    }

    private static String text(StringType value) {
        return value == null ? null : value.getValue();
    }
}
