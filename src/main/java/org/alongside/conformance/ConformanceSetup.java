package org.alongside.conformance;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Loads Alongside's conformance resources once and builds the validator and the terminology operations over them. */
@ApplicationScoped
public class ConformanceSetup {

    @Produces
    @Singleton
    ConformanceResources conformanceResources(FhirContext context) {
        return ConformanceResources.load(context, ConformanceSetup.class.getClassLoader());
    }

    @Produces
    @Singleton
    ProfileValidator profileValidator(FhirContext context, ConformanceResources resources) {
        return new ProfileValidator(context, resources);
    }

    /** The terminology operations, over the validator's terminology modules (one copy of the code systems and value sets). */
    @Produces
    @Singleton
    Terminology terminology(FhirContext context, ProfileValidator validator) {
        return new Terminology(context, validator.terminologySupport());
    }
}
