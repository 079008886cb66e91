package org.alongside.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport.BooleanConceptProperty;
import ca.uhn.fhir.context.support.IValidationSupport.CodeValidationResult;
import ca.uhn.fhir.context.support.IValidationSupport.CodingConceptProperty;
import ca.uhn.fhir.context.support.IValidationSupport.ConceptDesignation;
import ca.uhn.fhir.context.support.IValidationSupport.LookupCodeResult;
import ca.uhn.fhir.context.support.IValidationSupport.StringConceptProperty;
import ca.uhn.fhir.context.support.IValidationSupport.ValueSetExpansionOutcome;
import ca.uhn.fhir.context.support.LookupCodeRequest;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The terminology operations ({@code $expand}, {@code $lookup}, {@code $validate-code}) over the validator's own
 * support chain: Alongside's code systems and value sets, and the base R4 ones the validator holds. Nothing is loaded
 * twice; expansions are HAPI's in-memory ones (cached by the chain), shaped for the answer by {@link ExpansionPage}.
 * Thread-safe.
 */
public final class Terminology {

    private final FhirContext context;
    private final IValidationSupport chain;

    public Terminology(FhirContext context, IValidationSupport chain) {
        this.context = context;
        this.chain = chain;
    }

    /** A code system or value set cannot be expanded or checked here (e.g. one over SNOMED CT). */
    public static final class NotExpandable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotExpandable(String message) {
            super(message);
        }
    }

    /** The value set with this canonical URL ({@code |version} allowed), Alongside's or base R4's. */
    public Optional<ValueSet> valueSet(String url) {
        IBaseResource found = url == null || url.isBlank() ? null : chain.fetchValueSet(url);
        return found instanceof ValueSet valueSet ? Optional.of(valueSet) : Optional.empty();
    }

    /** The code system with this canonical URL ({@code |version} allowed), Alongside's or base R4's. */
    public Optional<CodeSystem> codeSystem(String url) {
        IBaseResource found = url == null || url.isBlank() ? null : chain.fetchCodeSystem(url);
        return found instanceof CodeSystem codeSystem ? Optional.of(codeSystem) : Optional.empty();
    }

    /**
     * The expansion of the value set, one page of it as the request asks.
     *
     * @throws NotExpandable when HAPI cannot expand it in memory (a code system it does not hold)
     */
    public ValueSet expand(ValueSet valueSet, ExpansionPage.Request request) {
        ValueSetExpansionOutcome outcome =
                chain.expandValueSet(supportContext(), new ValueSetExpansionOptions(), valueSet);
        if (outcome == null || outcome.getError() != null || !(outcome.getValueSet() instanceof ValueSet expanded)) {
            throw new NotExpandable("ValueSet " + name(valueSet) + " cannot be expanded here"
                    + (outcome == null || outcome.getError() == null ? "" : ": " + outcome.getError()));
        }
        return ExpansionPage.of(valueSet, expanded.getExpansion().getContains(),
                url -> codeSystem(url).orElse(null), request, new Date());
    }

    /**
     * The code's details ({@code $lookup}): HAPI finds it and its display in the language asked (when the code system
     * has a designation in it); its designations and properties come from the code system. Empty when the system or
     * the code is not known.
     */
    public Optional<LookupCodeResult> lookup(String system, String code, String displayLanguage,
                                             List<String> properties) {
        LookupCodeResult found = chain.lookupCode(supportContext(),
                new LookupCodeRequest(system, code, displayLanguage, properties));
        if (found == null || !found.isFound()) {
            return Optional.empty();
        }
        // the chain caches its results: the answer is a new one, never the cached one changed
        LookupCodeResult result = new LookupCodeResult().setFound(true).setSearchedForSystem(system)
                .setSearchedForCode(code);
        result.setCodeDisplay(found.getCodeDisplay());
        result.setCodeIsAbstract(found.isCodeIsAbstract());
        result.setCodeSystemDisplayName(found.getCodeSystemDisplayName());
        result.setCodeSystemVersion(found.getCodeSystemVersion());
        result.getDesignations().addAll(found.getDesignations());
        result.getProperties().addAll(found.getProperties());
        Optional<CodeSystem> codeSystem = codeSystem(system);
        codeSystem.flatMap(cs -> find(cs.getConcept(), code)).ifPresent(c -> describe(result, c, displayLanguage));
        codeSystem.ifPresent(cs -> {
            if (result.getCodeSystemDisplayName() == null) {
                result.setCodeSystemDisplayName(cs.getName());
            }
            if (result.getCodeSystemVersion() == null && cs.hasVersion()) {
                result.setCodeSystemVersion(cs.getVersion());
            }
        });
        return Optional.of(result);
    }

    private static void describe(LookupCodeResult result, ConceptDefinitionComponent concept, String language) {
        result.setCodeDisplay(ExpansionPage.display(concept.getDisplay(), concept, language));
        if (result.getDesignations().isEmpty()) {
            for (CodeSystem.ConceptDefinitionDesignationComponent d : concept.getDesignation()) {
                ConceptDesignation designation = new ConceptDesignation().setLanguage(d.getLanguage())
                        .setValue(d.getValue());
                if (d.hasUse()) {
                    designation.setUseSystem(d.getUse().getSystem()).setUseCode(d.getUse().getCode())
                            .setUseDisplay(d.getUse().getDisplay());
                }
                result.getDesignations().add(designation);
            }
        }
        if (result.getProperties().isEmpty()) {
            if (concept.hasDefinition()) {
                result.getProperties().add(new StringConceptProperty("definition", concept.getDefinition()));
            }
            for (ConceptPropertyComponent p : concept.getProperty()) {
                if (p.getValue() instanceof Coding coding) {
                    result.getProperties().add(new CodingConceptProperty(p.getCode(), coding.getSystem(),
                            coding.getCode(), coding.getDisplay()));
                } else if (p.getValue() instanceof org.hl7.fhir.r4.model.BooleanType bool) {
                    result.getProperties().add(new BooleanConceptProperty(p.getCode(), bool.booleanValue()));
                } else if (p.getValue() != null && p.getValue().isPrimitive()) {
                    result.getProperties().add(new StringConceptProperty(p.getCode(), p.getValue().primitiveValue()));
                }
            }
        }
    }

    private static Optional<ConceptDefinitionComponent> find(List<ConceptDefinitionComponent> level, String code) {
        for (ConceptDefinitionComponent concept : level) {
            if (code.equals(concept.getCode())) {
                return Optional.of(concept);
            }
            Optional<ConceptDefinitionComponent> deeper = find(concept.getConcept(), code);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        return Optional.empty();
    }

    /** Is the code (with the display, when one is given) in the value set? The answer HAPI's chain gives. */
    public Validation validateInValueSet(ValueSet valueSet, String system, String code, String display) {
        CodeValidationResult result = chain.validateCodeInValueSet(supportContext(),
                new ConceptValidationOptions().setValidateDisplay(display != null), system, code, display, valueSet);
        return Validation.of(result, "Code " + system + "#" + code + " is not in ValueSet " + name(valueSet));
    }

    /** Is the code (with the display, when one is given) defined by the code system? */
    public Validation validateInCodeSystem(String system, String code, String display) {
        CodeValidationResult result = chain.validateCode(supportContext(),
                new ConceptValidationOptions().setValidateDisplay(display != null), system, code, display, null);
        return Validation.of(result, "Code " + system + "#" + code + " is not known");
    }

    /**
     * The answer of {@code $validate-code}: whether the code is valid, why not (or a warning about the display), and
     * the code system's display.
     */
    public record Validation(boolean result, String message, String display) {

        static Validation of(CodeValidationResult result, String unknown) {
            if (result == null) {
                return new Validation(false, unknown, null);
            }
            boolean error = result.getSeverity() == IValidationSupport.IssueSeverity.ERROR
                    || result.getSeverity() == IValidationSupport.IssueSeverity.FATAL;
            boolean ok = result.isOk() && !error;
            String message = result.getMessage() != null ? result.getMessage() : ok ? null : unknown;
            return new Validation(ok, message, result.getDisplay());
        }
    }

    private static String name(ValueSet valueSet) {
        return valueSet.hasUrl() ? valueSet.getUrl() : valueSet.hasName() ? valueSet.getName() : "(inline)";
    }

    private ValidationSupportContext supportContext() {
        return new ValidationSupportContext(chain);
    }

    /** The FHIR context the chain works in. */
    public FhirContext context() {
        return context;
    }
}
