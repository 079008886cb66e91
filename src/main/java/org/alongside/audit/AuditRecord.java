package org.alongside.audit;

import java.time.Instant;
import java.util.List;

/**
 * What one audit event states, as the trail stores it: the facts, not their FHIR encoding. The AuditEvent an auditor
 * reads is built from it ({@link AuditEvents#toFhir}), so recording a request costs no JSON encoding, and the row of a
 * read's event holds about 300 bytes where its JSON alone held 1.8 kB.
 *
 * @param interaction   the FHIR restful-interaction code (read, search-type, create, operation...)
 * @param action        C, R, U, D or E
 * @param status        the HTTP status the interaction ended with
 * @param disclosure    records left the program (an outside system read them): listed in the accounting
 * @param purpose       the v3-ActReason purpose of use (TREAT, HOPERAT, HPAYMT)
 * @param agent         who asked; null for an unauthenticated request or the server's own work
 * @param serverWork    the server's own work (background delivery), not a request
 * @param clientAddress the client's network address, if known
 * @param query         the search's query string, if any
 * @param references    the records touched ({@code Type/id} or {@code Type/id/_history/n})
 * @param patients      the ids of the people those records belong to
 */
public record AuditRecord(String id, Instant recorded, String interaction, String action, int status,
                          boolean disclosure, String purpose, Agent agent, boolean serverWork, String clientAddress,
                          String query, String requestId, List<String> references, List<String> patients) {

    public AuditRecord {
        references = List.copyOf(references);
        patients = List.copyOf(patients);
    }

    /**
     * The caller that asked.
     *
     * @param fhirUser the caller's own FHIR resource (Practitioner/x), if the token named one
     * @param subject  the token's subject
     * @param clientId the client application the token was issued to
     * @param roles    the caller's Alongside role claims
     */
    public record Agent(String fhirUser, String subject, String clientId, List<String> roles) {

        public Agent {
            roles = List.copyOf(roles);
        }
    }
}
