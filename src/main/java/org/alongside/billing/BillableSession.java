package org.alongside.billing;

import java.time.Instant;
import java.util.List;

/**
 * What the export knows about one peer support session (an Encounter typed H0038), gathered from the records the
 * caller may read: enough to bill it or to say why it is not billed. No narrative: the note's text never leaves.
 *
 * @param encounter         {@code Encounter/id}
 * @param patient           {@code Patient/id}
 * @param patientName       the person's name as billing staff match it, or null
 * @param patientIdentifier the person's first identifier (MRN, Medicaid member id) as {@code system|value}, or null
 * @param finished          Encounter.status is finished (planned, cancelled, in-progress sessions are not billed)
 * @param modality          the session-modality code (in-person, phone, video, text), or null
 * @param group             a group session (HCPCS modifier HQ)
 * @param renderingPeer     the peer's {@code PractitionerRole/id}, or null
 * @param renderingNpi      the peer's NPI (their Practitioner's us-npi identifier), or null
 * @param coSignature       whether a supervisor co-signed the session or its note, and which version
 * @param supervisor        the co-signer's reference (the Provenance verifier), or null
 * @param supervisorNpi     the co-signer's NPI, or null
 * @param diagnoses         ICD-10-CM codes of what the care plan addresses, in the plan's order
 * @param part2             the session is a 42 CFR Part 2 record (labelled SUD)
 * @param paymentConsent    the person's consent permits disclosing their Part 2 records for payment (HPAYMT)
 * @param dailyUnitCap      the most units billed for one person on one day, from the peer's Organization or the default
 */
public record BillableSession(String encounter, String patient, String patientName, String patientIdentifier,
                              Instant start, Instant end, boolean finished, String modality, boolean group,
                              String renderingPeer, String renderingNpi, CoSignature coSignature, String supervisor,
                              String supervisorNpi, List<String> diagnoses, boolean part2, boolean paymentConsent,
                              int dailyUnitCap) {

    public BillableSession {
        diagnoses = List.copyOf(diagnoses);
    }

    /** A supervisor's co-signature (a Provenance with a verifier agent) on the session or its note. */
    public enum CoSignature {
        /** None at all. */
        NONE,
        /** Only on an earlier version: the session or note changed after it was signed. */
        OUTDATED,
        /** On the current version (or on the record without a version). */
        CURRENT
    }
}
