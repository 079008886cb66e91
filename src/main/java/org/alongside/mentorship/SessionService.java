package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.HCPCS;
import static org.alongside.mentorship.MentorshipCodes.PEER_SERVICES;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

/**
 * Records a peer support session, for one person or a group, as one transaction: per person an Encounter
 * (when, how, where, billing units) and a Procedure (the note: focus areas, what was done, the person's
 * response, next steps, goals addressed). A client key makes a retried submission store nothing twice.
 */
@ApplicationScoped
@Transactional
public class SessionService {

    static final String PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal";

    /** How the session took place: Encounter.class and the modality code. */
    public enum Modality {
        IN_PERSON("in-person", "AMB", "ambulatory"),
        PHONE("phone", "VR", "virtual"),
        VIDEO("video", "VR", "virtual"),
        TEXT("text", "VR", "virtual");

        final String code;
        final String encounterClass;
        final String classDisplay;

        Modality(String code, String encounterClass, String classDisplay) {
            this.code = code;
            this.encounterClass = encounterClass;
            this.classDisplay = classDisplay;
        }

        public static Modality of(String code) {
            for (Modality m : values()) {
                if (m.code.equals(code)) {
                    return m;
                }
            }
            throw new InvalidRequestException("modality must be in-person, phone, video or text, not " + code);
        }
    }

    /** What the peer wrote down. */
    public record SessionNote(List<Reference> patients, Reference peer, Date start, Date end, Modality modality,
                              String location, List<Coding> focusAreas, List<Reference> goals, String whatWasDone,
                              String response, String nextSteps, String clientKey, NoteFormat format,
                              String goalNote) {

        /** A free-text note (the format before clinics could choose one). */
        public SessionNote(List<Reference> patients, Reference peer, Date start, Date end, Modality modality,
                           String location, List<Coding> focusAreas, List<Reference> goals, String whatWasDone,
                           String response, String nextSteps, String clientKey) {
            this(patients, peer, start, end, modality, location, focusAreas, goals, whatWasDone, response, nextSteps,
                    clientKey, NoteFormat.FREE, null);
        }

        public NoteFormat format() {
            return format == null ? NoteFormat.FREE : format;
        }

        /**
         * What Procedure.note says: free text is what was done; a structured note has every section under its
         * heading (DAP: whatWasDone = Data, response = Assessment, nextSteps = Plan; GIRP: goalNote = Goal,
         * whatWasDone = Intervention, response = Response, nextSteps = Plan).
         */
        String noteText() {
            return switch (format()) {
                case FREE -> whatWasDone;
                case DAP -> format().compose(java.util.Arrays.asList(whatWasDone, response, nextSteps));
                case GIRP -> format().compose(java.util.Arrays.asList(goalNote, whatWasDone, response, nextSteps));
            };
        }
    }

    @Inject
    SearchRequestParser parser;

    @Inject
    InteractionPipeline pipeline;

    public List<IBaseResource> record(SessionNote note) {
        if (note.patients().isEmpty()) {
            throw new InvalidRequestException("A session needs at least one patient");
        }
        boolean group = note.patients().size() > 1;
        String groupKey = note.clientKey() != null ? note.clientKey() : UUID.randomUUID().toString();
        List<IBaseResource> written = new ArrayList<>();
        for (Reference patient : note.patients()) {
            Encounter session = encounter(note, patient, group, groupKey);
            Optional<SearchQuery> ifNoneExist = Optional.empty();
            if (note.clientKey() != null) {
                Identifier key = session.getIdentifierFirstRep();
                ifNoneExist = Optional.of(parser.parse("Encounter",
                        Map.of("identifier", List.of(key.getSystem() + "|" + key.getValue())), null, false));
            }
            WriteResult stored = pipeline.create(session, ifNoneExist);
            written.add(stored.resource());
            if (!stored.created()) {
                continue; // a retry of a session already recorded: its note exists too
            }
            Procedure procedure = procedure(note, patient, "Encounter/" + stored.id());
            written.add(pipeline.create(procedure, Optional.empty()).resource());
        }
        return written;
    }

    private static Encounter encounter(SessionNote note, Reference patient, boolean group, String groupKey) {
        Encounter session = new Encounter()
                .setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding(MentorshipCodes.V3_ACT_CODE, note.modality().encounterClass,
                        note.modality().classDisplay))
                .setSubject(patient)
                .setPeriod(new Period().setStart(note.start()).setEnd(note.end()));
        CodeableConcept type = session.addType()
                .addCoding(new Coding(HCPCS, PEER_SERVICES, "Self-help/peer services, per 15 minutes"));
        if (group) {
            type.addCoding(new Coding(HCPCS, MentorshipCodes.GROUP_MODIFIER, "Group setting"));
            session.addExtension(MentorshipCodes.EXT_GROUP_SESSION,
                    new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + groupKey));
        }
        session.addParticipant().setIndividual(note.peer());
        session.addExtension(MentorshipCodes.EXT_SESSION_MODALITY,
                new Coding(MentorshipCodes.SESSION_MODALITY, note.modality().code, null));
        // R4 has no Encounter/Procedure -> Goal element: the core extension pertainsToGoal links them
        note.goals().forEach(goal -> session.addExtension(PERTAINS_TO_GOAL, goal.copy()));
        if (note.location() != null && !note.location().isBlank()) {
            session.addLocation().setLocation(new Reference().setDisplay(note.location()));
        }
        if (note.clientKey() != null) {
            String patientId = patient.getReferenceElement().getIdPart();
            session.addIdentifier().setSystem(MentorshipCodes.BASE + "/session-key")
                    .setValue(note.clientKey() + (group ? "/" + patientId : ""));
        }
        session.getMeta().addProfile(MentorshipCodes.PROFILE_SESSION);
        return session;
    }

    private static Procedure procedure(SessionNote note, Reference patient, String encounterRef) {
        Procedure procedure = new Procedure()
                .setStatus(Procedure.ProcedureStatus.COMPLETED)
                .setCode(new CodeableConcept(new Coding(HCPCS, PEER_SERVICES, "Self-help/peer services, per 15 minutes")))
                .setSubject(patient)
                .setEncounter(new Reference(encounterRef))
                .setPerformed(new Period().setStart(note.start()).setEnd(note.end()));
        procedure.addPerformer().setActor(note.peer());
        note.focusAreas().forEach(focus -> procedure.addReasonCode(new CodeableConcept(focus)));
        note.goals().forEach(goal -> procedure.addExtension(PERTAINS_TO_GOAL, goal.copy()));
        if (note.response() != null) {
            procedure.setOutcome(new CodeableConcept().setText(note.response()));
        }
        if (note.nextSteps() != null) {
            procedure.addFollowUp(new CodeableConcept().setText(note.nextSteps()));
        }
        if (note.noteText() != null) {
            procedure.addNote().setText(note.noteText()).setTime(new Date()); // the performer is the author
        }
        if (note.format().structured()) {
            procedure.addExtension(MentorshipCodes.EXT_NOTE_FORMAT, new org.hl7.fhir.r4.model.CodeType(note.format().code()));
        }
        procedure.getMeta().addProfile(MentorshipCodes.PROFILE_NOTE);
        return procedure;
    }
}
