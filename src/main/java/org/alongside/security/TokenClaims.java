package org.alongside.security;

import java.util.Optional;

/** What the development authorization server puts into a token. */
public record TokenClaims(String subject, Role role, String scope, Optional<String> fhirUser,
                          Optional<String> patient, Optional<String> encounter, String clientId, long lifetimeSeconds,
                          Optional<String> purposeOfUse) {
}
