package org.alongside.billing;

import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The export for systems: a Bundle (collection) of ChargeItems, one per session of the period, billed ones
 * ({@code status = billable}) first, then excluded ones ({@code status = not-billable}, with the reason as an extension
 * and its detail as a note). ChargeItem, not Claim: a Claim needs the payer and the person's Coverage, which
 * Alongside does not hold; a ChargeItem is the billable provision a billing system turns into claims
 * (docs/ehr-integration.md). The ChargeItems are computed for the answer, not stored. Pure: no I/O.
 */
public final class ChargeItems {

    public static final String BASE = "http://alongside.health/fhir";
    public static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public static final String CPT = "http://www.ama-assn.org/go/cpt";
    public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    public static final String PLACE_OF_SERVICE =
            "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";
    public static final String CARE_TEAM_ROLE = "http://terminology.hl7.org/CodeSystem/claimcareteamrole";
    public static final String EXCLUSION_SYSTEM = BASE + "/CodeSystem/billing-exclusion";
    public static final String EXT_MODIFIER = BASE + "/StructureDefinition/billing-modifier";
    public static final String EXT_PLACE_OF_SERVICE = BASE + "/StructureDefinition/place-of-service";
    public static final String EXT_EXCLUSION = BASE + "/StructureDefinition/billing-exclusion-reason";

    private ChargeItems() {
    }

    public static Bundle bundle(BillingExport.Result result, Date now) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(now);
        bundle.setId(UUID.randomUUID().toString());
        for (BillingExport.Line line : result.lines()) {
            ChargeItem item = item(line.session(), line.units(), now).setStatus(ChargeItem.ChargeItemStatus.BILLABLE);
            line.modifiers().forEach(m -> item.addExtension(EXT_MODIFIER, modifier(m)));
            item.addExtension(EXT_PLACE_OF_SERVICE, new Coding(PLACE_OF_SERVICE, line.placeOfService(), null));
            add(bundle, item);
        }
        for (BillingExport.Excluded excluded : result.excluded()) {
            ChargeItem item = item(excluded.session(), excluded.units(), now)
                    .setStatus(ChargeItem.ChargeItemStatus.NOTBILLABLE);
            item.addExtension(EXT_EXCLUSION, new Coding(EXCLUSION_SYSTEM, excluded.reason().code(),
                    excluded.reason().display()));
            item.addNote().setText(excluded.detail());
            add(bundle, item);
        }
        return bundle;
    }

    private static void add(Bundle bundle, ChargeItem item) {
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(item);
    }

    private static ChargeItem item(BillableSession s, int units, Date now) {
        ChargeItem item = new ChargeItem();
        item.setCode(new CodeableConcept(new Coding(HCPCS, "H0038", "Self-help/peer services, per 15 minutes")));
        Reference subject = new Reference(s.patient());
        if (s.patientIdentifier() != null) {
            int bar = s.patientIdentifier().indexOf('|');
            subject.setIdentifier(bar < 0 ? new Identifier().setValue(s.patientIdentifier())
                    : new Identifier().setSystem(s.patientIdentifier().substring(0, bar))
                    .setValue(s.patientIdentifier().substring(bar + 1)));
        }
        item.setSubject(subject);
        item.setContext(new Reference(s.encounter()));
        item.setOccurrence(new Period().setStart(Date.from(s.start())).setEnd(Date.from(s.end())));
        item.setQuantity(new Quantity().setValue(units).setUnit("15 minutes"));
        item.setEnteredDate(now);
        if (s.renderingPeer() != null) {
            item.addPerformer().setFunction(role("primary", "Primary provider"))
                    .setActor(provider(s.renderingPeer(), s.renderingNpi()));
        }
        if (s.supervisor() != null) {
            item.addPerformer().setFunction(role("supervisor", "Supervising Provider"))
                    .setActor(provider(s.supervisor(), s.supervisorNpi()));
        }
        s.diagnoses().forEach(code -> item.addReason(new CodeableConcept(new Coding(ICD10_CM, code, null))));
        return item;
    }

    private static CodeableConcept role(String code, String display) {
        return new CodeableConcept(new Coding(CARE_TEAM_ROLE, code, display));
    }

    private static Reference provider(String reference, String npi) {
        Reference actor = new Reference(reference);
        if (npi != null) {
            actor.setIdentifier(new Identifier().setSystem(NPI).setValue(npi));
        }
        return actor;
    }

    /** HQ and GT are HCPCS Level II modifiers; two-digit ones (95, 93) are CPT modifiers. */
    static Coding modifier(String code) {
        return new Coding(code.matches("\\d\\d") ? CPT : HCPCS, code, null);
    }

    /** The billed lines' records, for the audit of the disclosure. */
    public static List<String> billedEncounters(BillingExport.Result result) {
        return result.lines().stream().map(l -> l.session().encounter()).toList();
    }
}
