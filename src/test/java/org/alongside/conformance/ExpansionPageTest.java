package org.alongside.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;
import org.junit.jupiter.api.Test;

class ExpansionPageTest {

    private static final String MOODS = "http://example.org/moods";
    private static final String OTHER = "http://example.org/other";

    /** A code system in its authors' order (with a child concept), with Spanish designations on two codes. */
    private static CodeSystem moods() {
        CodeSystem cs = new CodeSystem().setUrl(MOODS);
        cs.addConcept().setCode("calm").setDisplay("Calm").addDesignation().setLanguage("es").setValue("Tranquilo");
        CodeSystem.ConceptDefinitionComponent low = cs.addConcept().setCode("low").setDisplay("Low mood");
        low.addConcept().setCode("very-low").setDisplay("Very low mood");
        cs.addConcept().setCode("anxious").setDisplay("Anxious").addDesignation().setLanguage("es-MX")
                .setValue("Ansioso");
        cs.addConcept().setCode("hopeful").setDisplay("Hopeful");
        return cs;
    }

    private static ValueSet allOf(String... systems) {
        ValueSet vs = new ValueSet().setUrl("http://example.org/vs");
        for (String system : systems) {
            vs.getCompose().addInclude().setSystem(system);
        }
        return vs;
    }

    /** What HAPI hands back: every code, in no useful order. */
    private static List<ValueSetExpansionContainsComponent> found(String... systemAndCodes) {
        return java.util.Arrays.stream(systemAndCodes).map(sc -> {
            String[] parts = sc.split("#");
            return new ValueSetExpansionContainsComponent().setSystem(parts[0]).setCode(parts[1]);
        }).toList();
    }

    private static final List<ValueSetExpansionContainsComponent> SHUFFLED = found(MOODS + "#hopeful",
            MOODS + "#very-low", MOODS + "#calm", MOODS + "#anxious", MOODS + "#low");

    private static ValueSet page(ValueSet source, List<ValueSetExpansionContainsComponent> codes,
                                 ExpansionPage.Request request) {
        Map<String, CodeSystem> systems = Map.of(MOODS, moods());
        return ExpansionPage.of(source, codes, systems::get, request, new Date());
    }

    private static List<String> codes(ValueSet expansion) {
        return expansion.getExpansion().getContains().stream().map(ValueSetExpansionContainsComponent::getCode).toList();
    }

    @Test
    void codesComeInTheirCodeSystemsOrderDepthFirst() {
        ValueSet expansion = page(allOf(MOODS), SHUFFLED, ExpansionPage.Request.all());

        assertThat(codes(expansion)).containsExactly("calm", "low", "very-low", "anxious", "hopeful");
        assertThat(expansion.getExpansion().getTotal()).isEqualTo(5);
        assertThat(expansion.getExpansion().hasOffset()).isFalse();
        assertThat(expansion.getExpansion().getIdentifier()).startsWith("urn:uuid:");
    }

    @Test
    void codesListedByTheValueSetComeInItsOrder() {
        ValueSet picked = new ValueSet();
        var include = picked.getCompose().addInclude().setSystem(MOODS);
        include.addConcept().setCode("hopeful");
        include.addConcept().setCode("calm");

        assertThat(codes(page(picked, found(MOODS + "#calm", MOODS + "#hopeful"), ExpansionPage.Request.all())))
                .containsExactly("hopeful", "calm");
    }

    @Test
    void includesComeInTheirOrderAndUnknownSystemsKeepHapisDisplay() {
        List<ValueSetExpansionContainsComponent> codes = found(MOODS + "#calm", OTHER + "#b", OTHER + "#a");
        codes.get(1).setDisplay("Bee");

        ValueSet expansion = page(allOf(OTHER, MOODS), codes, ExpansionPage.Request.all());

        assertThat(codes(expansion)).containsExactly("a", "b", "calm");
        assertThat(expansion.getExpansion().getContains().get(1).getDisplay()).isEqualTo("Bee");
        assertThat(expansion.getExpansion().getContains().get(2).getDisplay()).isEqualTo("Calm");
    }

    @Test
    void aPageHoldsCountCodesFromTheOffsetAndTheTotalCountsThemAll() {
        ValueSet expansion = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request(null, 1, 2, null, false));

        assertThat(codes(expansion)).containsExactly("low", "very-low");
        assertThat(expansion.getExpansion().getTotal()).isEqualTo(5);
        assertThat(expansion.getExpansion().getOffset()).isEqualTo(1);
        assertThat(expansion.getExpansion().getParameter()).extracting(p -> p.getName() + "=" + p.getValue()
                .primitiveValue()).containsExactly("offset=1", "count=2");
    }

    @Test
    void anOffsetPastTheEndGivesAnEmptyPageAndCountZeroOnlyTheTotal() {
        ValueSet past = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request(null, 9, 2, null, false));
        ValueSet none = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request(null, 0, 0, null, false));

        assertThat(codes(past)).isEmpty();
        assertThat(past.getExpansion().getTotal()).isEqualTo(5);
        assertThat(codes(none)).isEmpty();
        assertThat(none.getExpansion().getTotal()).isEqualTo(5);
    }

    @Test
    void theFilterMatchesTheStartOfWordsOfCodeDisplayOrDesignationIgnoringCaseAndAccents() {
        assertThat(codes(page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request("MOOD", 0, null, null, false))))
                .containsExactly("low", "very-low");
        assertThat(codes(page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request("very lo", 0, null, null, false))))
                .containsExactly("very-low");
        assertThat(codes(page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request("tranquilo", 0, null, null, false))))
                .containsExactly("calm");
        assertThat(codes(page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request("ánsi", 0, null, null, false))))
                .containsExactly("anxious");
        assertThat(codes(page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request("ood", 0, null, null, false))))
                .isEmpty();
    }

    @Test
    void theTotalCountsWhatTheFilterLetsThrough() {
        ValueSet expansion = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request("mood", 1, 1, null, false));

        assertThat(codes(expansion)).containsExactly("very-low");
        assertThat(expansion.getExpansion().getTotal()).isEqualTo(2);
    }

    @Test
    void theDisplayLanguagePicksTheDesignationOfThatLanguageOrItsPrimaryTag() {
        ValueSet spanish = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request(null, 0, null, "es", false));
        ValueSet mexican = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request(null, 0, null, "es-MX", false));

        assertThat(spanish.getExpansion().getContains()).extracting(ValueSetExpansionContainsComponent::getDisplay)
                .containsExactly("Tranquilo", "Low mood", "Very low mood", "Ansioso", "Hopeful");
        assertThat(mexican.getExpansion().getContains().get(0).getDisplay()).isEqualTo("Tranquilo");
        assertThat(mexican.getExpansion().getContains().get(3).getDisplay()).isEqualTo("Ansioso");
        assertThat(spanish.getExpansion().getParameter()).extracting(p -> p.getName()).containsExactly("displayLanguage");
    }

    @Test
    void designationsAreGivenOnlyWhenAsked() {
        ValueSet plain = page(allOf(MOODS), SHUFFLED, ExpansionPage.Request.all());
        ValueSet with = page(allOf(MOODS), SHUFFLED, new ExpansionPage.Request(null, 0, 1, null, true));

        assertThat(plain.getExpansion().getContainsFirstRep().getDesignation()).isEmpty();
        assertThat(with.getExpansion().getContainsFirstRep().getDesignation())
                .extracting(d -> d.getLanguage() + ":" + d.getValue()).containsExactly("es:Tranquilo");
    }

    @Test
    void theSourceIsCopiedNotChanged() {
        ValueSet source = allOf(MOODS);
        ValueSet expansion = page(source, SHUFFLED, ExpansionPage.Request.all());

        assertThat(source.hasExpansion()).isFalse();
        assertThat(expansion.getUrl()).isEqualTo(source.getUrl());
    }

    @Test
    void aNegativeOffsetOrACountOutOfBoundsIsRefused() {
        assertThatThrownBy(() -> new ExpansionPage.Request(null, -1, null, null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExpansionPage.Request(null, 0, -1, null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExpansionPage.Request(null, 0, ExpansionPage.MAX_COUNT + 1, null, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
