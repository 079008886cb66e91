package org.alongside.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.alongside.config.AlongsideConfig;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;

/** The FHIR R4 endpoint at /fhir (mapped in web.xml): HAPI's RestfulServer wired to Alongside's store. */
public class AlongsideFhirServlet extends RestfulServer {

    private static final long serialVersionUID = 1L;

    @Inject
    transient FhirContext fhirContext;

    @Inject
    transient AlongsideConfig config;

    @Inject
    transient ResourceStore store;

    @Inject
    transient SearchParamRegistry registry;

    @Inject
    transient SearchRequestParser searchParser;

    @Override
    protected void initialize() {
        setFhirContext(fhirContext);
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setImplementationDescription("Alongside: peer mentorship next to therapy in FHIR R4 care plans");
        String version = getClass().getPackage().getImplementationVersion();

        SearchBundles searchBundles = new SearchBundles(store, searchParser, config.defaultCount(), config.maxCount());
        List<IResourceProvider> providers = new ArrayList<>();
        for (String type : registry.resourceTypes()) {
            providers.add(new ResourceTypeProvider(fhirContext.getResourceDefinition(type).getImplementingClass(),
                    type, store, searchBundles));
        }
        setResourceProviders(providers);
        registerProvider(new SystemProvider(searchBundles));

        registerInterceptor(new RequestGuard(config.maxBodyBytes(), config.maxNestingDepth()));
        registerInterceptor(new ResponseShaping());
        registerInterceptor(new ErrorMasking());
        registerInterceptor(new CapabilityStatementCustomizer(registry, version == null ? "dev" : version));
    }
}
