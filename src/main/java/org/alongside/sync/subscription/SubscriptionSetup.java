package org.alongside.sync.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.alongside.config.AlongsideConfig;
import org.alongside.outbound.OutboundRule;
import org.alongside.search.SearchRequestParser;

/** Produces the pure helpers of the subscription domain from the configuration. */
@ApplicationScoped
public class SubscriptionSetup {

    @Produces
    @Singleton
    SubscriptionSpecs subscriptionSpecs(SearchRequestParser parser, AlongsideConfig config, OutboundRule outbound) {
        return new SubscriptionSpecs(parser, config.subscriptionAllowedHosts(), outbound);
    }

    @Produces
    @Singleton
    Backoff backoff(AlongsideConfig config) {
        return new Backoff(config.subscriptionBackoffBaseMs(), config.subscriptionBackoffMaxMs(), Math::random);
    }
}
