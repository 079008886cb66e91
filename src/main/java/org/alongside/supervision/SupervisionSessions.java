package org.alongside.supervision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;

/**
 * What a supervision session is (profile supervision-session): an Encounter typed
 * {@code supervision#supervision-session} between a supervisor and a peer specialist they supervise, with its date,
 * minutes ({@code length}), topics ({@code reasonCode}) and a short note. It is a staff record about the peer, not
 * about any person in care: it has no subject, so it sits in no patient compartment, carries no Part 2 label and is
 * governed by its own access rule (docs/security.md). Pure: no I/O.
 */
public final class SupervisionSessions {

    public static final String BASE = "http://alongside.health/fhir";
    public static final String SUPERVISION = BASE + "/CodeSystem/supervision";
    public static final String SESSION = "supervision-session";
    public static final String ROLE = BASE + "/CodeSystem/supervision-role";
    public static final String SUPERVISOR = "supervisor";
    public static final String SUPERVISEE = "supervisee";
    public static final String TOPIC = BASE + "/CodeSystem/supervision-topic";
    public static final String EXT_NOTE = BASE + "/StructureDefinition/supervision-note";
    public static final String UCUM = "http://unitsofmeasure.org";
    /** The longest session one record may claim: a working day. */
    public static final int MAX_MINUTES = 600;

    private SupervisionSessions() {
    }

    /** Is this record a supervision session (whatever else it claims)? */
    public static boolean isSupervisionSession(IBaseResource resource) {
        return resource instanceof Encounter encounter && encounter.getType().stream()
                .anyMatch(type -> type.hasCoding(SUPERVISION, SESSION));
    }

    /** The supervisor's reference (a PractitionerRole), without version. */
    public static Optional<String> supervisorOf(Encounter session) {
        return participant(session, SUPERVISOR);
    }

    /** The reference of the peer specialist supervised (a PractitionerRole), without version. */
    public static Optional<String> superviseeOf(Encounter session) {
        return participant(session, SUPERVISEE);
    }

    /** The session's minutes, when recorded in minutes. */
    public static Optional<Integer> minutesOf(Encounter session) {
        if (!session.hasLength() || !session.getLength().hasValue() || !"min".equals(session.getLength().getCode())) {
            return Optional.empty();
        }
        return Optional.of(session.getLength().getValue().intValue());
    }

    /**
     * What is wrong with a supervision session beyond its profile: the rules a structure definition cannot say.
     * Empty when it may be stored.
     */
    public static List<String> problems(Encounter session) {
        List<String> problems = new ArrayList<>();
        if (session.hasSubject()) {
            problems.add("A supervision session is a staff record with no subject: Encounter.subject must be absent "
                    + "(it is about no person in care)");
        }
        long supervisors = count(session, SUPERVISOR);
        long supervisees = count(session, SUPERVISEE);
        if (supervisors != 1 || supervisees != 1) {
            problems.add("A supervision session needs exactly one participant of type supervisor and one of type "
                    + "supervisee, each a PractitionerRole");
        } else if (supervisorOf(session).equals(superviseeOf(session))) {
            problems.add("The supervisor and the peer supervised must be different roles");
        }
        if (session.getStatus() != Encounter.EncounterStatus.ENTEREDINERROR) {
            if (!session.getPeriod().hasStart()) {
                problems.add("A supervision session needs Encounter.period.start (its date)");
            }
            if (session.hasLength() && session.getLength().hasValue()) {
                if (!"min".equals(session.getLength().getCode()) || !UCUM.equals(session.getLength().getSystem())) {
                    problems.add("Encounter.length is given in minutes (UCUM min)");
                } else if (session.getLength().getValue().signum() <= 0
                        || session.getLength().getValue().intValue() > MAX_MINUTES
                        || session.getLength().getValue().stripTrailingZeros().scale() > 0) {
                    problems.add("Encounter.length is a whole number of minutes from 1 to " + MAX_MINUTES);
                }
            } else {
                problems.add("A supervision session needs Encounter.length (its minutes)");
            }
        }
        return problems;
    }

    private static long count(Encounter session, String code) {
        return session.getParticipant().stream()
                .filter(p -> p.getType().stream().anyMatch(type -> type.hasCoding(ROLE, code)))
                .filter(p -> isRole(p.getIndividual()))
                .count();
    }

    private static Optional<String> participant(Encounter session, String code) {
        return session.getParticipant().stream()
                .filter(p -> p.getType().stream().anyMatch(type -> type.hasCoding(ROLE, code)))
                .map(p -> p.getIndividual())
                .filter(SupervisionSessions::isRole)
                .map(r -> r.getReference().replaceAll("/_history/.*$", ""))
                .findFirst();
    }

    private static boolean isRole(Reference reference) {
        return reference != null && reference.getReference() != null
                && reference.getReference().startsWith("PractitionerRole/");
    }
}
