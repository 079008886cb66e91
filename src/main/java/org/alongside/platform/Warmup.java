package org.alongside.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.alongside.conformance.ProfileValidator;
import org.alongside.index.SearchIndexExtractor;
import org.hl7.fhir.r4.model.Communication;

/**
 * Pays the one-off start-up costs of the FHIRPath engine and the profile validator (several seconds each) at
 * deployment rather than on a user's first write.
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());

    @Inject
    SearchIndexExtractor indexExtractor;

    @Inject
    ProfileValidator profileValidator;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        long start = System.nanoTime();
        Communication sample = new Communication();
        sample.getSubject().setReference("Patient/warmup");
        indexExtractor.extract(sample);
        LOG.info("Search indexer ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        LOG.info("Profile validator ready in " + profileValidator.warmUp() + " ms");
    }
}
