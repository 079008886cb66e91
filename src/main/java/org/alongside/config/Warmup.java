package org.alongside.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.alongside.index.SearchIndexExtractor;
import org.hl7.fhir.r4.model.Communication;

/**
 * Pays the FHIRPath engine's one-off start-up cost (loading the R4 type definitions, several seconds) at
 * deployment rather than on a user's first write.
 */
@ApplicationScoped
public class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());

    @Inject
    SearchIndexExtractor indexExtractor;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        long start = System.nanoTime();
        Communication sample = new Communication();
        sample.getSubject().setReference("Patient/warmup");
        indexExtractor.extract(sample);
        LOG.info("Search indexer ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
}
