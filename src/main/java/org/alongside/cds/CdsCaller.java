package org.alongside.cds;

import java.util.EnumSet;
import java.util.Optional;
import org.alongside.security.Caller;
import org.alongside.security.Role;
import org.alongside.security.ScopeSet;

/**
 * Who reads Alongside's records for a CDS Hooks request: the EHR system that signed it, with the scopes configured
 * for its issuer and its {@code sub} as the client id. Not the user the request names in {@code context.userId}: the
 * card is sent to the EHR, so it may carry only what may be disclosed to the EHR; in 42 CFR Part 2 mode that is what
 * the person's consent permits for that client (unless the client is one of the program's own,
 * {@code alongside.part2.program-clients}). The purpose is treatment.
 */
final class CdsCaller {

    private CdsCaller() {
    }

    static Caller of(VerifiedClient client) {
        return new Caller("cds-client:" + client.clientId(), EnumSet.of(Role.EHR_SYSTEM),
                ScopeSet.parse(client.scopes()), Optional.empty(), Optional.empty(), client.clientId(), "TREAT");
    }
}
