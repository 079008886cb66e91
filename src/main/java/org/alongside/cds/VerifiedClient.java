package org.alongside.cds;

/**
 * The EHR that signed a CDS Hooks request, as its verified JWT says: the trusted issuer it came from and its client
 * id ({@code sub}), with the scopes configured for that issuer.
 */
public record VerifiedClient(String issuer, String clientId, String scopes) {
}
