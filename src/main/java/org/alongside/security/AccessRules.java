package org.alongside.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Task;

/**
 * What each role may do to each kind of resource, before scopes and before whose data it is. The table is
 * the one in docs/security.md; keep them in step. Pure: no I/O.
 */
public final class AccessRules {

    /** Kinds of resource, by how sensitive they are and who maintains them. */
    public enum Kind {
        /** Records about a person in care: the patient compartment. */
        PATIENT_DATA,
        /** Who works where: practitioners, their roles, organizations. */
        DIRECTORY,
        /** Alongside's published profiles, code systems, value sets, search parameters. */
        CONFORMANCE,
        /** Integration plumbing (subscriptions, exports): EHR systems and administrators. */
        INTEGRATION,
        /** The audit trail: read-only, for administrators and EHR systems. */
        AUDIT
    }

    /**
     * Records a peer specialist writes and may edit when they are the author. Task and Flag: an "I'm worried"
     * escalation, which the peer requests (Task.requester, Flag.author) and the clinician acknowledges.
     * QuestionnaireResponse and Observation: a recovery capital assessment (BARC-10) the peer fills in with the person
     * (author) and its score (performer).
     */
    public static final Set<String> PEER_LOGS = Set.of("Encounter", "Procedure", "Communication", "Goal", "Task",
            "Flag", "QuestionnaireResponse", "Observation");

    private static final Set<Interaction> READS = EnumSet.of(Interaction.READ, Interaction.SEARCH);
    private static final Set<Interaction> ALL = EnumSet.allOf(Interaction.class);
    private static final Set<Interaction> NO_DELETE =
            EnumSet.of(Interaction.CREATE, Interaction.READ, Interaction.UPDATE, Interaction.SEARCH);

    private AccessRules() {
    }

    public static Kind kindOf(String resourceType) {
        switch (resourceType) {
            case "Practitioner":
            case "PractitionerRole":
            case "Organization":
                return Kind.DIRECTORY;
            case "StructureDefinition":
            case "CodeSystem":
            case "ValueSet":
            case "SearchParameter":
            case "OperationDefinition":
            case "Questionnaire": // the published instruments (BARC-10), not anyone's answers
            case "Measure": // the published program report definition, not anyone's figures
                return Kind.CONFORMANCE;
            case "Subscription":
                return Kind.INTEGRATION;
            case "AuditEvent":
                return Kind.AUDIT;
            default:
                return Kind.PATIENT_DATA;
        }
    }

    /**
     * What each role may do to a supervision session (an Encounter typed supervision#supervision-session): a staff
     * record about a peer specialist, not about a person in care, so the table for records about people does not
     * apply. Supervisors record them and the peer supervised reads them (who exactly: {@code AccessGuard}); clinicians
     * and administrators have no business with them; EHR systems keep everything.
     */
    public static boolean supervisionAllows(Set<Role> roles, Interaction interaction) {
        for (Role role : roles) {
            Set<Interaction> allowed = switch (role) {
                case EHR_SYSTEM -> ALL;
                case SUPERVISOR -> EnumSet.of(Interaction.CREATE, Interaction.READ, Interaction.UPDATE, Interaction.SEARCH);
                case PEER_SPECIALIST -> READS;
                default -> EnumSet.noneOf(Interaction.class);
            };
            if (allowed.contains(interaction)) {
                return true;
            }
        }
        return false;
    }

    /** Does any of the roles allow this interaction on this type (patients and authorship checked later)? */
    public static boolean roleAllows(Set<Role> roles, String resourceType, Interaction interaction) {
        for (Role role : roles) {
            if (allowed(role, resourceType).contains(interaction)) {
                return true;
            }
        }
        return false;
    }

    static Set<Interaction> allowed(Role role, String resourceType) {
        Kind kind = kindOf(resourceType);
        if (kind == Kind.CONFORMANCE) {
            return READS;
        }
        if (kind == Kind.AUDIT) {
            return role == Role.ADMIN || role == Role.EHR_SYSTEM ? READS : EnumSet.noneOf(Interaction.class);
        }
        switch (role) {
            case EHR_SYSTEM:
                return ALL;
            case ADMIN:
                // manages configuration and the directory; reads no clinical records (minimum necessary)
                return kind == Kind.PATIENT_DATA ? EnumSet.noneOf(Interaction.class) : ALL;
            case CLINICIAN:
                return kind == Kind.PATIENT_DATA ? NO_DELETE : kind == Kind.DIRECTORY ? READS
                        : EnumSet.noneOf(Interaction.class);
            case SUPERVISOR:
                if (kind == Kind.PATIENT_DATA) {
                    return "Provenance".equals(resourceType) ? EnumSet.of(Interaction.CREATE, Interaction.READ,
                            Interaction.SEARCH) : READS;
                }
                return kind == Kind.DIRECTORY ? READS : EnumSet.noneOf(Interaction.class);
            case PROGRAM_DIRECTOR:
                // aggregate figures only ($program-report): who works where, never a record about a person
                return kind == Kind.DIRECTORY ? READS : EnumSet.noneOf(Interaction.class);
            case PEER_SPECIALIST:
                if (kind == Kind.PATIENT_DATA) {
                    return PEER_LOGS.contains(resourceType) ? EnumSet.of(Interaction.CREATE, Interaction.READ,
                            Interaction.UPDATE, Interaction.SEARCH) : READS;
                }
                return kind == Kind.DIRECTORY ? READS : EnumSet.noneOf(Interaction.class);
            default:
                return EnumSet.noneOf(Interaction.class);
        }
    }

    private static final String CRISIS_SUPPORT = "http://alongside.health/fhir/CodeSystem/crisis-support";
    private static final String WORRIED = "peer-worried";

    /**
     * An "I'm worried" escalation is raised by a peer specialist and moved on only by the care team: written by anyone
     * else who is not a clinician (a peer, a supervisor), its Task stays {@code requested} and its Flag
     * {@code active}. Otherwise the peer's "acknowledged" would prove nothing. The reason for a refusal, or empty.
     */
    public static Optional<String> escalationRefusal(IBaseResource resource) {
        if (resource instanceof Task task && isWorry(task.getCode()) && task.getStatus() != Task.TaskStatus.REQUESTED) {
            return Optional.of("Only the care team moves an escalation on: its Task stays requested until a clinician"
                    + " acknowledges it");
        }
        if (resource instanceof Flag flag && isWorry(flag.getCode()) && flag.getStatus() != Flag.FlagStatus.ACTIVE) {
            return Optional.of("Only the care team closes an escalation's Flag");
        }
        return Optional.empty();
    }

    private static boolean isWorry(CodeableConcept code) {
        return code != null && code.hasCoding(CRISIS_SUPPORT, WORRIED);
    }
}
