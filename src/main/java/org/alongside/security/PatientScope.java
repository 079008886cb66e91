package org.alongside.security;

import java.util.Collection;
import java.util.Set;

/** Whose records a request may touch: every patient's, or the ids in a set (possibly none). */
public record PatientScope(boolean everyone, Set<String> patientIds) {

    public static final PatientScope EVERYONE = new PatientScope(true, Set.of());

    public static PatientScope of(Collection<String> ids) {
        return new PatientScope(false, Set.copyOf(ids));
    }

    /** May a record that belongs to these patients be touched? A record tied to no patient needs everyone. */
    public boolean covers(Collection<String> recordPatients) {
        if (everyone) {
            return true;
        }
        for (String id : recordPatients) {
            if (patientIds.contains(id)) {
                return true;
            }
        }
        return false;
    }

    public PatientScope narrowTo(String patientId) {
        if (everyone || patientIds.contains(patientId)) {
            return of(Set.of(patientId));
        }
        return of(Set.of());
    }
}
