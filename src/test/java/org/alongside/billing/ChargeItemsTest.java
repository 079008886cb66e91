package org.alongside.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import org.alongside.billing.BillableSession.CoSignature;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class ChargeItemsTest {

    @Test
    void aBilledSessionIsABillableChargeItemWithUnitsModifiersPlacePerformersAndDiagnosis() {
        Bundle bundle = ChargeItems.bundle(BillingExportTest.export(BillingExportTest.session().group().build()),
                new Date());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        ChargeItem item = (ChargeItem) bundle.getEntryFirstRep().getResource();
        assertThat(bundle.getEntryFirstRep().getFullUrl()).startsWith("urn:uuid:");
        assertThat(item.getStatus()).isEqualTo(ChargeItem.ChargeItemStatus.BILLABLE);
        assertThat(item.getCode().hasCoding(ChargeItems.HCPCS, "H0038")).isTrue();
        assertThat(item.getQuantity().getValue().intValue()).isEqualTo(3);
        assertThat(item.getSubject().getReference()).isEqualTo("Patient/maria");
        assertThat(item.getSubject().getIdentifier().getSystem()).isEqualTo("urn:mrn");
        assertThat(item.getContext().getReference()).isEqualTo("Encounter/s1");
        assertThat(item.getExtensionsByUrl(ChargeItems.EXT_MODIFIER)).extracting(e -> ((Coding) e.getValue()).getSystem()
                + "|" + ((Coding) e.getValue()).getCode())
                .containsExactly(ChargeItems.HCPCS + "|HQ", ChargeItems.CPT + "|95");
        assertThat(((Coding) item.getExtensionByUrl(ChargeItems.EXT_PLACE_OF_SERVICE).getValue()).getCode()).isEqualTo("02");
        assertThat(item.getPerformer()).extracting(p -> p.getFunction().getCodingFirstRep().getCode() + " "
                + p.getActor().getReference() + " " + p.getActor().getIdentifier().getValue())
                .containsExactly("primary PractitionerRole/jordan 1234567893", "supervisor PractitionerRole/sam null");
        assertThat(item.getReasonFirstRep().hasCoding(ChargeItems.ICD10_CM, "F11.20")).isTrue();
    }

    @Test
    void anExcludedSessionIsANotBillableChargeItemWithItsReasonAndNoModifiers() {
        Bundle bundle = ChargeItems.bundle(BillingExportTest.export(
                BillingExportTest.session().signed(CoSignature.NONE).build()), new Date());
        ChargeItem item = (ChargeItem) bundle.getEntryFirstRep().getResource();
        assertThat(item.getStatus()).isEqualTo(ChargeItem.ChargeItemStatus.NOTBILLABLE);
        assertThat(((Coding) item.getExtensionByUrl(ChargeItems.EXT_EXCLUSION).getValue()).getCode())
                .isEqualTo("not-cosigned");
        assertThat(item.getNoteFirstRep().getText()).contains("co-signed");
        assertThat(item.getExtensionsByUrl(ChargeItems.EXT_MODIFIER)).isEmpty();
        assertThat(item.getPerformer()).hasSize(1);
    }
}
