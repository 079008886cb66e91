package org.alongside.cds;

import java.time.Instant;
import java.util.Optional;
import org.alongside.mentorship.RecoveryCapital;

/**
 * What a patient-view card can say about one person's peer support, as far as its reader may know it.
 *
 * @param mentor          the active peer mentor's name (or reference, when no name could be read); empty: none
 * @param carePlanId      the care plan the assignment belongs to, for the link to the side-by-side view
 * @param lastContact     the latest peer contact (a session that ended or a message sent), if any
 * @param openEscalations active "I'm worried" flags on the person
 * @param recovery        the first and latest recovery capital (BARC-10) scores, if any
 * @param openAlerts      open engagement alerts (no peer contact for too long) about the person
 */
public record PeerSupportFacts(Optional<String> mentor, Optional<String> carePlanId, Optional<Instant> lastContact,
                               int openEscalations, Optional<RecoveryCapital.Trend> recovery, int openAlerts) {

    /** The facts without recovery scores or engagement alerts. */
    public PeerSupportFacts(Optional<String> mentor, Optional<String> carePlanId, Optional<Instant> lastContact,
                            int openEscalations) {
        this(mentor, carePlanId, lastContact, openEscalations, Optional.empty(), 0);
    }

    /** The assignment part, as read from prefetch or from Alongside. */
    public record Assignment(Optional<String> mentor, Optional<String> carePlanId) {
        static final Assignment NONE = new Assignment(Optional.empty(), Optional.empty());
    }

    static PeerSupportFacts of(Assignment assignment, Optional<Instant> lastContact, int openEscalations,
                               Optional<RecoveryCapital.Trend> recovery, int openAlerts) {
        return new PeerSupportFacts(assignment.mentor(), assignment.carePlanId(), lastContact, openEscalations,
                recovery, openAlerts);
    }

    boolean hasMentor() {
        return mentor.isPresent();
    }
}
