package org.alongside.billing;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Reads the billing facts out of the records of a session: the diagnoses of its care plan, its co-signature, the
 * NPI of a practitioner, its modality, and the person's consent to disclosure for payment. Pure: no I/O.
 */
public final class SessionFacts {

    static final String MODALITY_EXTENSION = "http://alongside.health/fhir/StructureDefinition/session-modality";
    static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    static final String RECORDED_BY = "http://alongside.health/fhir/StructureDefinition/consent-recorded-by";
    static final String CLIENT_ID_SYSTEM = "urn:ietf:params:oauth:client-id";
    static final String PAYMENT = "HPAYMT";

    private SessionFacts() {
    }

    /**
     * The ICD-10-CM codes of what the plan addresses: the Conditions it contains and names in {@code addresses}
     * (Alongside keeps no Condition records of its own; the EHR sends them inside the plan), then its activities'
     * reason codes, without repeats, in that order.
     */
    public static List<String> diagnoses(CarePlan plan) {
        Set<String> codes = new LinkedHashSet<>();
        Set<String> addressed = plan.getAddresses().stream().map(Reference::getReference).filter(r -> r != null)
                .collect(Collectors.toSet());
        plan.getContained().stream().filter(Condition.class::isInstance).map(Condition.class::cast)
                .filter(c -> addressed.contains("#" + c.getIdElement().getIdPart().replaceFirst("^#", "")))
                .forEach(c -> icd10(c.getCode().getCoding(), codes));
        plan.getActivity().forEach(a -> a.getDetail().getReasonCode().forEach(r -> icd10(r.getCoding(), codes)));
        return List.copyOf(codes);
    }

    private static void icd10(List<Coding> codings, Set<String> into) {
        codings.stream().filter(c -> ChargeItems.ICD10_CM.equals(c.getSystem()) && c.hasCode())
                .forEach(c -> into.add(c.getCode().trim()));
    }

    /** A co-signature and who gave it. */
    public record Signed(BillableSession.CoSignature state, String supervisor) {
    }

    /**
     * The best co-signature among the Provenances: one with a verifier agent whose target is one of the session's
     * records ({@code Encounter/id} or its note {@code Procedure/id}) is current when it names no version or the
     * record's current one, outdated when it names an earlier one.
     *
     * @param currentVersions the session's records ({@code Type/id}) and their current version ids
     */
    public static Signed coSignature(List<Provenance> provenances, Map<String, String> currentVersions) {
        Signed best = new Signed(BillableSession.CoSignature.NONE, null);
        for (Provenance provenance : provenances) {
            Optional<String> verifier = provenance.getAgent().stream()
                    .filter(a -> a.getType().hasCoding(PROVENANCE_PARTICIPANT, "verifier") && a.getWho().hasReference())
                    .map(a -> a.getWho().getReference()).findFirst();
            if (verifier.isEmpty()) {
                continue;
            }
            for (Reference target : provenance.getTarget()) {
                String reference = target.getReference();
                if (reference == null) {
                    continue;
                }
                String[] parts = reference.split("/");
                if (parts.length < 2) {
                    continue;
                }
                String record = parts[0] + "/" + parts[1];
                if (!currentVersions.containsKey(record)) {
                    continue;
                }
                boolean current = parts.length < 4 || parts[3].equals(currentVersions.get(record));
                if (current) {
                    return new Signed(BillableSession.CoSignature.CURRENT, verifier.get());
                }
                if (best.state() == BillableSession.CoSignature.NONE) {
                    best = new Signed(BillableSession.CoSignature.OUTDATED, verifier.get());
                }
            }
        }
        return best;
    }

    /** The practitioner's NPI (identifier system us-npi), or null. */
    public static String npi(Practitioner practitioner) {
        return practitioner == null ? null : practitioner.getIdentifier().stream()
                .filter(i -> ChargeItems.NPI.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    /**
     * How the session took place: the session-modality extension, else in person for an ambulatory, home or field
     * encounter; null when it cannot be told (a virtual encounter without the extension may have been a text chat).
     */
    public static String modality(Encounter session) {
        var extension = session.getExtensionByUrl(MODALITY_EXTENSION);
        if (extension != null && extension.getValue() instanceof Coding coding && coding.hasCode()) {
            return coding.getCode();
        }
        String encounterClass = session.getClass_().getCode();
        return "AMB".equals(encounterClass) || "HH".equals(encounterClass) || "FLD".equals(encounterClass)
                ? "in-person" : null;
    }

    /** "Family, Given" from the person's first name, or its text. */
    public static String name(Patient patient) {
        if (patient == null || !patient.hasName()) {
            return null;
        }
        HumanName name = patient.getNameFirstRep();
        if (name.hasFamily()) {
            String given = name.getGiven().stream().map(g -> g.getValue()).collect(Collectors.joining(" "));
            return given.isEmpty() ? name.getFamily() : name.getFamily() + ", " + given;
        }
        return name.hasText() ? name.getText() : null;
    }

    /** The person's first identifier as {@code system|value}, or null. */
    public static String identifier(Patient patient) {
        if (patient == null) {
            return null;
        }
        return patient.getIdentifier().stream().filter(Identifier::hasValue).findFirst()
                .map(i -> (i.hasSystem() ? i.getSystem() + "|" : "") + i.getValue()).orElse(null);
    }

    /**
     * Does one of the person's consents permit disclosing their Part 2 records for payment? It must be active, a
     * privacy consent, a permit in force at {@code now}, list HPAYMT among its purposes, and have been recorded by the
     * program (the server's stamp naming a user, or one of the program's own clients). Its recipient is the payer,
     * whom Alongside does not know; the billing office checks that the consent names the payer it bills.
     */
    public static boolean permitsPayment(List<Consent> consents, Date now, Predicate<String> programClient) {
        for (Consent consent : consents) {
            Consent.ProvisionComponent provision = consent.getProvision();
            boolean active = consent.getStatus() == Consent.ConsentState.ACTIVE;
            boolean privacy = consent.getScope().hasCoding(CONSENT_SCOPE, "patient-privacy");
            boolean permit = provision.getType() == Consent.ConsentProvisionType.PERMIT;
            boolean inForce = (!provision.getPeriod().hasStart() || !provision.getPeriod().getStart().after(now))
                    && (!provision.getPeriod().hasEnd() || provision.getPeriod().getEnd().after(now));
            boolean payment = provision.getPurpose().stream().anyMatch(p -> PAYMENT.equals(p.getCode()));
            if (active && privacy && permit && inForce && payment && recordedByProgram(consent, programClient)) {
                return true;
            }
        }
        return false;
    }

    private static boolean recordedByProgram(Consent consent, Predicate<String> programClient) {
        var stamp = consent.getExtensionByUrl(RECORDED_BY);
        if (stamp == null || !(stamp.getValue() instanceof Reference recorder)) {
            return false;
        }
        Identifier client = recorder.getIdentifier();
        return !CLIENT_ID_SYSTEM.equals(client.getSystem()) || programClient.test(client.getValue());
    }

    /** Splits references into groups small enough for one search's comma-separated values. */
    public static List<List<String>> chunks(List<String> values, int size) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < values.size(); i += size) {
            chunks.add(values.subList(i, Math.min(values.size(), i + size)));
        }
        return chunks;
    }
}
