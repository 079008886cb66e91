package org.alongside.platform;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.alongside.config.AlongsideConfig;
import org.alongside.conformance.ConformanceResources;
import org.alongside.index.PatientCompartment;
import org.alongside.index.SearchIndexExtractor;
import org.alongside.search.SearchParamDef;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchRequestParser;
import org.hl7.fhir.r4.model.SearchParameter;

/** Produces the shared FHIR machinery once per application. */
@ApplicationScoped
public class FhirSetup {

    /** R4 context; parsing is strict so unknown elements and bad primitive values are refused (400). */
    @Produces
    @Singleton
    FhirContext fhirContext() {
        FhirContext context = FhirContext.forR4();
        context.setParserErrorHandler(new StrictErrorHandler());
        // keep references as clients wrote them: a co-signature's Provenance.target names the signed version
        context.getParserOptions().setStripVersionsFromReferences(false);
        return context;
    }

    @Produces
    @Singleton
    SearchParamRegistry searchParamRegistry(FhirContext context, AlongsideConfig config,
                                            ConformanceResources conformance) {
        List<SearchParamDef> custom = new ArrayList<>();
        for (SearchParameter parameter : conformance.searchParameters()) {
            custom.addAll(SearchParamRegistry.fromSearchParameter(parameter.getCode(), parameter.getType().toCode(),
                    parameter.getExpression(), parameter.getBase().stream().map(b -> b.getCode()).toList(),
                    parameter.getTarget().stream().map(t -> t.getCode()).toList(), parameter.getDescription()));
        }
        return SearchParamRegistry.fromDefinitions(context, config.resourceTypes(), custom);
    }

    @Produces
    @Singleton
    SearchIndexExtractor searchIndexExtractor(FhirContext context, SearchParamRegistry registry) {
        return new SearchIndexExtractor(context, registry);
    }

    /** The R4 Patient compartment: what Patient-level export and $everything return for a person. */
    @Produces
    @Singleton
    PatientCompartment patientCompartment(FhirContext context, SearchParamRegistry registry,
                                          SearchIndexExtractor extractor) {
        return new PatientCompartment(context, registry, extractor);
    }

    @Produces
    @Singleton
    SearchRequestParser searchRequestParser(SearchParamRegistry registry, AlongsideConfig config) {
        return new SearchRequestParser(registry, config.defaultCount(), config.maxCount());
    }
}
