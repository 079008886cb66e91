package org.alongside.mentorship;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Resource;

/**
 * What counts as a peer contact and when it happened, in one place: {@code $side-by-side}'s "last contact" and the
 * engagement alerts read the same definition. A contact is a peer session that ended (Encounter with HCPCS H0038, not
 * entered in error; its clinical end time) or a Communication that was sent (encouragement, the quick contact log; its
 * clinical sent time). Dates are the clinical ones, so a contact logged late counts when it happened. Pure.
 */
public final class PeerContacts {

    private PeerContacts() {
    }

    /** When the record was a peer contact, or empty when it is none. */
    public static Optional<Instant> when(Resource record) {
        if (record instanceof Encounter e && SessionRules.isPeerSession(e)
                && e.getStatus() != Encounter.EncounterStatus.ENTEREDINERROR && e.getPeriod().hasEnd()) {
            return Optional.of(e.getPeriod().getEnd().toInstant());
        }
        if (record instanceof Communication c && c.hasSent()) {
            return Optional.of(c.getSent().toInstant());
        }
        return Optional.empty();
    }

    /** The latest contact among the records at or before {@code now} (a contact dated in the future does not count). */
    public static Optional<Instant> last(Collection<? extends Resource> records, Instant now) {
        Instant last = null;
        for (Resource record : records) {
            Instant contact = when(record).orElse(null);
            if (contact != null && !contact.isAfter(now) && (last == null || contact.isAfter(last))) {
                last = contact;
            }
        }
        return Optional.ofNullable(last);
    }
}
