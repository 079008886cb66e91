package org.alongside.mentorship;

import static org.alongside.mentorship.MentorshipCodes.CARE_TEAM_CATEGORY;

import java.util.List;
import java.util.Optional;
import org.alongside.store.StoreQueries;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Reference;

/**
 * "The care team's clinician", who owns the Tasks Alongside opens for the care team (an "I'm worried" escalation, an
 * engagement alert): the first Practitioner on the person's active clinical care teams (not the peer support team).
 * Read as the server's own reasoning: the caller may not see the whole care team, and nothing read is handed back.
 */
final class CareTeamClinician {

    private CareTeamClinician() {
    }

    /** The clinician, or empty when the person has none yet (every clinician of the person still sees the Task). */
    static Optional<Reference> of(StoreQueries queries, Reference patient) {
        List<CareTeam> teams = queries.all("CareTeam", CareTeam.class, "patient", patient.getReference(),
                "status", "active");
        return teams.stream()
                .filter(team -> team.getCategory().stream().flatMap(c -> c.getCoding().stream())
                        .noneMatch(c -> CARE_TEAM_CATEGORY.equals(c.getSystem()) && "peer-support".equals(c.getCode())))
                .flatMap(team -> team.getParticipant().stream())
                .map(p -> p.getMember().getReference())
                .filter(member -> member != null && member.startsWith("Practitioner/"))
                .findFirst().map(Reference::new);
    }
}
