package org.alongside.outbound;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Produces the server's {@link OutboundRule} from {@code alongside.outbound.allowed-hosts}: hosts every outbound call
 * may reach even on internal addresses (an identity provider on the private network; loopback names on the
 * development and test servers Maven runs). Empty by default: only public addresses.
 */
@ApplicationScoped
public class OutboundSetup {

    @Produces
    @Singleton
    OutboundRule outboundRule(
            @ConfigProperty(name = "alongside.outbound.allowed-hosts") Optional<List<String>> allowedHosts) {
        return OutboundRule.resolvingWithJvm(allowedHosts.orElse(List.of()));
    }
}
