package org.alongside.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport.ConceptDesignation;
import ca.uhn.fhir.context.support.IValidationSupport.LookupCodeResult;
import java.util.List;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The terminology operations over the validator's real chain (Alongside's resources and base R4's). */
class TerminologyTest {

    private static final String BASE = ConformanceResources.CANONICAL_BASE;
    private static Terminology terminology;

    @BeforeAll
    static void overTheValidatorsChain() {
        FhirContext context = FhirContext.forR4Cached();
        terminology = new Terminology(context, ProfileValidator.create(context).terminologySupport());
    }

    private static ValueSet valueSet(String url) {
        return terminology.valueSet(url).orElseThrow();
    }

    private static List<String> codes(ValueSet expansion) {
        return expansion.getExpansion().getContains().stream().map(ValueSetExpansionContainsComponent::getCode).toList();
    }

    @Test
    void anAlongsideValueSetExpandsInTheOrderOfItsCodeSystem() {
        ValueSet expansion = terminology.expand(valueSet(BASE + "/ValueSet/session-modality"), ExpansionPage.Request.all());

        assertThat(codes(expansion)).containsExactly("in-person", "phone", "video", "text");
        assertThat(expansion.getExpansion().getTotal()).isEqualTo(4);
        assertThat(expansion.getExpansion().getContains().get(0).getDisplay()).isEqualTo("In person");
        assertThat(expansion.getUrl()).isEqualTo(BASE + "/ValueSet/session-modality");
    }

    @Test
    void aBaseR4ValueSetExpandsToo() {
        ValueSet expansion = terminology.expand(valueSet("http://hl7.org/fhir/ValueSet/administrative-gender"),
                ExpansionPage.Request.all());

        assertThat(codes(expansion)).containsExactly("male", "female", "other", "unknown");
    }

    @Test
    void spanishDisplaysComeFromTheDesignations() {
        ValueSet expansion = terminology.expand(valueSet(BASE + "/ValueSet/focus-area"),
                new ExpansionPage.Request("antojos", 0, null, "es-MX", true));

        assertThat(codes(expansion)).containsExactly("cravings");
        ValueSetExpansionContainsComponent cravings = expansion.getExpansion().getContainsFirstRep();
        assertThat(cravings.getDisplay()).isEqualTo("Antojos");
        assertThat(cravings.getDesignation()).extracting(d -> d.getLanguage() + ":" + d.getValue())
                .containsExactly("es:Antojos");
    }

    @Test
    void aValueSetOverACodeSystemThatIsNotHeldCannotBeExpanded() {
        ValueSet snomed = new ValueSet();
        snomed.getCompose().addInclude().setSystem("http://snomed.info/sct").addFilter().setProperty("concept")
                .setOp(ValueSet.FilterOperator.ISA).setValue("404684003");

        assertThatThrownBy(() -> terminology.expand(snomed, ExpansionPage.Request.all()))
                .isInstanceOf(Terminology.NotExpandable.class);
    }

    @Test
    void lookupGivesTheDisplayDesignationsAndDefinition() {
        LookupCodeResult result = terminology.lookup(BASE + "/CodeSystem/focus-area", "cravings", null, null)
                .orElseThrow();

        assertThat(result.getCodeDisplay()).isEqualTo("Cravings");
        assertThat(result.getCodeSystemDisplayName()).isEqualTo("FocusArea");
        assertThat(result.getDesignations()).extracting(ConceptDesignation::getValue).containsExactly("Antojos");
        assertThat(result.getProperties()).extracting(p -> p.getPropertyName()).contains("definition");
    }

    @Test
    void lookupInSpanishGivesTheSpanishDisplay() {
        LookupCodeResult result = terminology.lookup(BASE + "/CodeSystem/session-modality", "phone", "es", null)
                .orElseThrow();

        assertThat(result.getCodeDisplay()).isEqualTo("Teléfono");
    }

    @Test
    void lookupOfAnUnknownCodeOrSystemFindsNothing() {
        assertThat(terminology.lookup(BASE + "/CodeSystem/focus-area", "no-such-code", null, null)).isEmpty();
        assertThat(terminology.lookup("http://example.org/no-such-system", "x", null, null)).isEmpty();
    }

    @Test
    void aCodeOfTheValueSetIsValidAndOneOutsideItIsNot() {
        ValueSet modalities = valueSet(BASE + "/ValueSet/session-modality");

        Terminology.Validation phone = terminology.validateInValueSet(modalities, BASE + "/CodeSystem/session-modality",
                "phone", null);
        Terminology.Validation fax = terminology.validateInValueSet(modalities, BASE + "/CodeSystem/session-modality",
                "fax", null);

        assertThat(phone.result()).isTrue();
        assertThat(phone.display()).isEqualTo("Phone");
        assertThat(fax.result()).isFalse();
        assertThat(fax.message()).contains("fax");
    }

    @Test
    void aWrongDisplayIsReported() {
        Terminology.Validation wrong = terminology.validateInCodeSystem(BASE + "/CodeSystem/session-modality", "phone",
                "Carrier pigeon");

        assertThat(wrong.message()).contains("Carrier pigeon");
        assertThat(wrong.display()).isEqualTo("Phone");
    }

    @Test
    void aCodeOfTheCodeSystemIsValidAndAnUnknownSystemIsNot() {
        assertThat(terminology.validateInCodeSystem("http://hl7.org/fhir/administrative-gender", "female", null)
                .result()).isTrue();
        assertThat(terminology.validateInCodeSystem(BASE + "/CodeSystem/end-reason", "no-such-code", null).result())
                .isFalse();
        Terminology.Validation unknown = terminology.validateInCodeSystem("http://example.org/none", "x", null);
        assertThat(unknown.result()).isFalse();
        assertThat(unknown.message()).isNotBlank();
    }
}
