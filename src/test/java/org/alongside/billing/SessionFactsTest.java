package org.alongside.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.alongside.billing.BillableSession.CoSignature;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class SessionFactsTest {

    static final Date NOW = Date.from(Instant.parse("2026-04-02T12:00:00Z"));

    @Test
    void theDiagnosesAreTheIcd10CodesOfTheAddressedContainedConditionsThenOfTheActivitiesReasons() {
        CarePlan plan = new CarePlan();
        Condition oud = new Condition().setCode(new CodeableConcept(new Coding(ChargeItems.ICD10_CM, "F11.20", null)));
        oud.setId("oud");
        Condition notAddressed = new Condition().setCode(new CodeableConcept(new Coding(ChargeItems.ICD10_CM, "F32.1", null)));
        notAddressed.setId("other");
        Condition snomedOnly = new Condition().setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "5602001", null)));
        snomedOnly.setId("snomed");
        plan.addContained(oud).addContained(notAddressed).addContained(snomedOnly);
        plan.addAddresses(new Reference("#oud")).addAddresses(new Reference("#snomed"));
        plan.addActivity().getDetail().addReasonCode(new CodeableConcept(new Coding(ChargeItems.ICD10_CM, "F41.1", null)))
                .addReasonCode(new CodeableConcept(new Coding(ChargeItems.ICD10_CM, "F11.20", null)));
        assertThat(SessionFacts.diagnoses(plan)).containsExactly("F11.20", "F41.1");
        assertThat(SessionFacts.diagnoses(new CarePlan())).isEmpty();
    }

    static Provenance cosign(String target, String verifier) {
        Provenance provenance = new Provenance().addTarget(new Reference(target));
        provenance.addAgent().setType(new CodeableConcept(new Coding(SessionFacts.PROVENANCE_PARTICIPANT, "author", null)))
                .setWho(new Reference("PractitionerRole/jordan"));
        if (verifier != null) {
            provenance.addAgent().setType(new CodeableConcept(new Coding(SessionFacts.PROVENANCE_PARTICIPANT, "verifier",
                    null))).setWho(new Reference(verifier));
        }
        return provenance;
    }

    @Test
    void aCoSignatureCountsOnTheCurrentVersionOfTheSessionOrItsNoteAndIsOutdatedOnAnEarlierOne() {
        Map<String, String> versions = Map.of("Encounter/s1", "2", "Procedure/n1", "1");
        assertThat(SessionFacts.coSignature(List.of(), versions).state()).isEqualTo(CoSignature.NONE);
        assertThat(SessionFacts.coSignature(List.of(cosign("Encounter/s1/_history/1", "PractitionerRole/sam")), versions))
                .isEqualTo(new SessionFacts.Signed(CoSignature.OUTDATED, "PractitionerRole/sam"));
        assertThat(SessionFacts.coSignature(List.of(cosign("Encounter/s1/_history/1", "PractitionerRole/sam"),
                cosign("Procedure/n1/_history/1", "PractitionerRole/kim")), versions))
                .isEqualTo(new SessionFacts.Signed(CoSignature.CURRENT, "PractitionerRole/kim"));
        assertThat(SessionFacts.coSignature(List.of(cosign("Encounter/s1", "Practitioner/sam")), versions).state())
                .isEqualTo(CoSignature.CURRENT);
        // the author's signature alone, or a co-signature of another session, is none
        assertThat(SessionFacts.coSignature(List.of(cosign("Encounter/s1/_history/2", null),
                cosign("Encounter/s9/_history/2", "PractitionerRole/sam")), versions).state()).isEqualTo(CoSignature.NONE);
    }

    @Test
    void theModalityIsTheExtensionsOrInPersonForAnAmbulatoryEncounterAndUnknownForAVirtualOneWithoutIt() {
        Encounter video = new Encounter().setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", null));
        video.addExtension(SessionFacts.MODALITY_EXTENSION, new Coding("x", "video", null));
        assertThat(SessionFacts.modality(video)).isEqualTo("video");
        assertThat(SessionFacts.modality(new Encounter().setClass_(new Coding(null, "AMB", null)))).isEqualTo("in-person");
        assertThat(SessionFacts.modality(new Encounter().setClass_(new Coding(null, "VR", null)))).isNull();
    }

    @Test
    void theNpiIsThePractitionersUsNpiIdentifier() {
        Practitioner practitioner = new Practitioner().addIdentifier(new Identifier().setSystem("urn:staff").setValue("7"))
                .addIdentifier(new Identifier().setSystem(ChargeItems.NPI).setValue("1234567893"));
        assertThat(SessionFacts.npi(practitioner)).isEqualTo("1234567893");
        assertThat(SessionFacts.npi(new Practitioner())).isNull();
        assertThat(SessionFacts.npi(null)).isNull();
    }

    static Consent consent(String purpose, String recorderClient) {
        Consent consent = new Consent().setStatus(Consent.ConsentState.ACTIVE)
                .setScope(new CodeableConcept(new Coding(SessionFacts.CONSENT_SCOPE, "patient-privacy", null)));
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT)
                .setPeriod(new Period().setStart(Date.from(Instant.parse("2026-01-01T00:00:00Z"))))
                .addPurpose(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose, null));
        if (recorderClient != null) {
            consent.addExtension(SessionFacts.RECORDED_BY, new Reference().setIdentifier(
                    new Identifier().setSystem(SessionFacts.CLIENT_ID_SYSTEM).setValue(recorderClient)));
        }
        return consent;
    }

    @Test
    void disclosureForPaymentNeedsAnActivePermitForHpaymtThatTheProgramRecorded() {
        assertThat(SessionFacts.permitsPayment(List.of(consent("HPAYMT", "alongside-app")), NOW, "alongside-app"::equals))
                .isTrue();
        assertThat(SessionFacts.permitsPayment(List.of(consent("TREAT", "alongside-app")), NOW, "alongside-app"::equals))
                .as("a consent for treatment only").isFalse();
        assertThat(SessionFacts.permitsPayment(List.of(consent("HPAYMT", "outside-ehr")), NOW, "alongside-app"::equals))
                .as("recorded by an outside client").isFalse();
        assertThat(SessionFacts.permitsPayment(List.of(consent("HPAYMT", null)), NOW, c -> true))
                .as("no program stamp").isFalse();
        Consent revoked = consent("HPAYMT", "alongside-app").setStatus(Consent.ConsentState.INACTIVE);
        assertThat(SessionFacts.permitsPayment(List.of(revoked), NOW, "alongside-app"::equals)).isFalse();
        Consent expired = consent("HPAYMT", "alongside-app");
        expired.getProvision().getPeriod().setEnd(Date.from(Instant.parse("2026-04-01T00:00:00Z")));
        assertThat(SessionFacts.permitsPayment(List.of(expired), NOW, "alongside-app"::equals)).isFalse();
        Consent deny = consent("HPAYMT", "alongside-app");
        deny.getProvision().setType(Consent.ConsentProvisionType.DENY);
        assertThat(SessionFacts.permitsPayment(List.of(deny), NOW, "alongside-app"::equals)).isFalse();
    }

    @Test
    void referencesAreSearchedInChunks() {
        assertThat(SessionFacts.chunks(List.of("a", "b", "c", "d", "e"), 2))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    }
}
