package org.alongside.security;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as their verified token says: the subject, roles ({@code groups}), SMART scopes, the FHIR
 * resource that represents the user ({@code fhirUser}), the launch context ({@code patient}), the client and
 * the declared purpose of use ({@code purpose_of_use}, a v3-ActReason code; TREAT when absent).
 */
public record Caller(String subject, Set<Role> roles, ScopeSet scopes, Optional<String> fhirUser,
                     Optional<String> launchPatient, String clientId, String purposeOfUse) {

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /**
     * Whom work started by this request belongs to: the OAuth client when the token names one (an EHR system's
     * integration, whichever user or service account runs it), else the token's subject.
     */
    public String accountable() {
        return clientId != null && !clientId.isBlank() ? "client:" + clientId : "subject:" + subject;
    }

    /** System clients (EHRs) and admins are not limited to a set of patients; everyone else is. */
    public boolean seesAllPatients() {
        return has(Role.EHR_SYSTEM) || has(Role.ADMIN);
    }
}
