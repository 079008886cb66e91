package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 42 CFR Part 2 mode. When the deployment is a Part 2 program, its peer support records are labelled as
 * substance use disorder records, and leave the program only under the patient's consent. Inside the
 * program are its users (every role) and the system clients named here (e.g. the program's own EHR
 * integration); every other client is an outside recipient.
 */
@ApplicationScoped
public class Part2Config {

    @Inject
    @ConfigProperty(name = "alongside.part2.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "alongside.part2.program-clients", defaultValue = "alongside-app")
    List<String> programClients;

    public boolean enabled() {
        return enabled;
    }

    /** Is this caller outside the program, so that a disclosure to them needs consent? */
    public boolean isOutsideRecipient(Caller caller) {
        return caller.has(Role.EHR_SYSTEM) && !isProgramClient(caller.clientId());
    }

    /** One of the program's own system clients. */
    public boolean isProgramClient(String clientId) {
        return programClients.contains(clientId);
    }
}
